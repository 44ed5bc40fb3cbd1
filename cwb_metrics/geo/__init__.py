"""Geometry: boundaries -> simplified, quantised TopoJSON written at refresh.

``simplify`` builds topologies (shared arcs, simplified per arc, quantised);
``tables`` is the table producer that writes ``geo/*.topo.json`` into a data version.
"""
