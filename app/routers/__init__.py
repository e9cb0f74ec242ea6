"""Thin HTTP routes: parse parameters, call the read model through a Reply, return."""
