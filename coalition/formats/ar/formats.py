"""Arabic: Django's ar locale has separators but no grouping, so 185000 stayed 185000 under
|intcomma while every other language grouped it. Group by thousands with Django's own
separators (THOUSAND_SEPARATOR "." and DECIMAL_SEPARATOR "," come from django.conf.locale.ar)."""

NUMBER_GROUPING = 3
