"""Analysis algorithms: pure functions over NetworkX graphs (no driver, no Flask).

They call NetworkX functions, so NetworkX's backend dispatch applies: with a
backend such as nx-cugraph installed and ``NETWORKX_BACKEND_PRIORITY=cugraph``
(or ``nx.config.backend_priority``) set, PageRank, ring components and the
cycle search run there unchanged.  Finding the strongly connected parts that
can hold a cycle uses scipy on the CPU (:mod:`.sparse`): NetworkX's pure-Python
search is much slower over a million-member forest (docs/benchmarks.md).
"""
