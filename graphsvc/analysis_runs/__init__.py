"""Analysis runs: the registry of kinds, the projection of the network and the run service."""
