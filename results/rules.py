import rules

from programs.rules import is_staff

rules.add_perm("results.publish", is_staff)
