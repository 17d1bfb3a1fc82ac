"""The edubadges hand-off: a partner hogeschool's lecturer downloads, for their class, the files SURF edubadges'
direct award takes (its bulk award from CSV), with the badge class fields, EU micro-credential fields included,
filled in from the course unit (modules/onderwijseenheid/).

SURF edubadges can only be issued by member institutions, so the platform issues nothing there: the lecturer
uploads the recipients file in edubadges and copies the badge class fields into the badge class. The formats follow
the edubadges-server and edubadges-ui sources (README, "For hogescholen").
"""
