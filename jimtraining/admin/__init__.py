"""The admin pages (/admin/...): users and their erasure, organisations, outgoing mail, trainer licences,
certificates, the audit log and the national figures. One blueprint, "admin"; every page is for admins only.
The pages call the services of the domains they manage (accounts, privacy, organisations, certification)."""
