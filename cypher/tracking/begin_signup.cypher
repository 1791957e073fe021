// Begin a live signup: take the network lock (the signup adds to the tree), and read the
// member if a signup (or anything else) created it already.
// include network/lock
WITH l
// include tracking/signup
