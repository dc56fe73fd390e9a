n.state = $state
