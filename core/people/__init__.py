"""People of the network: ambassador profiles, their holds, and the directory."""
