// A new member joining the tree (see NetworkService.join), in one statement: the member
// ($rows: one row with its fields, depth and path, sponsor and how it was attributed),
// its REFERRED edge when it has a sponsor, and its ancestors' counts ($changes); then the
// member as network/member reads it ($ids: the member's id).
CALL {
// include network/create_members
}
CALL {
// include network/create_sponsor_edges
}
CALL {
// include network/adjust_counts
}
WITH 1 AS joined
// include network/member
