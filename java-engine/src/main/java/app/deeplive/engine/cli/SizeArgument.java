package app.deeplive.engine.cli;

/** Parses a {@code --size WIDTHxHEIGHT} value; each command checks the range it supports. */
final class SizeArgument {
    private SizeArgument() {}

    /** {width, height}, or -1 for a side that is missing or not a number (so the caller's range check rejects it). */
    static int[] parse(String size) {
        String[] sides = size.split("x", -1);
        try {
            int width = Integer.parseInt(sides[0]);
            int height = sides.length == 2 ? Integer.parseInt(sides[1]) : -1;
            return new int[] {width, height};
        } catch (NumberFormatException e) {
            return new int[] {-1, -1};
        }
    }
}
