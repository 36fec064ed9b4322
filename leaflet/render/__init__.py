"""Writers: one per output format (pdf; audio to come)."""
