// The batch size of every configuration.
export const BATCH = 32;
