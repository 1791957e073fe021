"""Analysis algorithms: pure functions (no driver, no Flask) over arrays.

Members are nodes 0..n-1 and the referral edges two arrays, because over a
million members a graph object built in Python costs more than the work itself
(docs/benchmarks.md): influence uses one bottom-up pass per level and PageRank on
the forest's parent array, rings sparse products and scipy's components, cycles
scipy's strongly connected components.  NetworkX does what it does best on the
small graphs left: enumerating cycles, walking a ring's sponsorships.
"""
