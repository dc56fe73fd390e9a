n.lastKnownState = $lastKnownState
