package app.deeplive.engine.channel;

/** Counters of one channel handle (dlf_channel_stats): producer-side and consumer-side figures. */
public record ChannelStats(long submitted, long received, long dropped, long evictions, long processed, long rejected) {}
