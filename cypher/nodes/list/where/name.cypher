n.name = $name
