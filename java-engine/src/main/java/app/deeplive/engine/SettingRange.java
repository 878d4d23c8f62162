package app.deeplive.engine;

/**
 * The values one setting accepts, with the name users know it by (the control protocol's field), so the type that
 * holds the setting, the reader of set_options and the tests that check the OBS plugin's clamps share one bound.
 */
public record SettingRange(String name, double min, double max) {
    /** @throws IllegalArgumentException naming the setting and its range (NaN is out of every range) */
    public double check(double value) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be " + plain(min) + ".." + plain(max) + ", got " + value);
        }
        return value;
    }

    public boolean contains(double value) {
        return value >= min && value <= max;
    }

    /** A value as a user writes it: "1", not "1.0". */
    public static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
