n.typeId IN $typeIds
