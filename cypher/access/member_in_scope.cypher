// Whether the target member is the scope member or somewhere in their downline:
// a downline member's materialised path starts with the scope member's path.
MATCH (scope:Member {id: $scope_id}), (target:Member {id: $target_id})
RETURN target.path STARTS WITH scope.path AS inside
