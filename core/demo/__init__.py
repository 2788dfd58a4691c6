"""The synthetic network of ``tremplin demo``: invented people, schools and interventions."""
