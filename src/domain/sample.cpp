// (filled in by the sample generator work)
