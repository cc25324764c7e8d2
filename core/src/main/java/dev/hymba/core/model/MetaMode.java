package dev.hymba.core.model;

/** What happens to the learned meta tokens in a run (analyses §d.11). Anything but AS_TRAINED is out of distribution. */
public enum MetaMode {
    /** The checkpoint's meta tokens, as trained. */
    AS_TRAINED,
    /** No meta prefix: positions shift down by M and the SSM starts from a zero state. */
    DROPPED,
    /** Meta rows kept (positions unchanged) but set to zero vectors. */
    ZEROED,
    /** Every meta row replaced by the mean of the meta rows. */
    MEAN
}
