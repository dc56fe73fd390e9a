n.uri = $uri
