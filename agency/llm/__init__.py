"""Model providers behind one small protocol, and a router that picks them per role."""
