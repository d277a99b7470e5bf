"""The seeded coalitions' names and ECCAR's plan in the portal's other languages.

French from ECCAR's own French pages (seed 002: "Coalition européenne des villes contre le
racisme", "Plan d'action en 10 points"), German from ECCAR's ("Europäische Städtekoalition gegen
Rassismus", "Zehn-Punkte-Aktionsplan"), Spanish and Arabic as UNESCO names the coalitions.
The English text in members.seed is authoritative; these are its translations. Summaries and
example actions stay English: pages show them marked "(in English)" until staff translate them.
"""

from __future__ import annotations

#: short name -> {language: name}
COALITION_NAMES: dict[str, dict[str, str]] = {
    "ICCAR": {
        "fr": "Coalition internationale des villes inclusives et durables",
        "de": "Internationale Koalition inklusiver und nachhaltiger Städte",
        "es": "Coalición Internacional de Ciudades Inclusivas y Sostenibles",
        "ar": "التحالف الدولي للمدن الشاملة والمستدامة",
    },
    "ACCAR": {
        "fr": "Coalition africaine des villes contre le racisme et la discrimination",
        "de": "Afrikanische Städtekoalition gegen Rassismus und Diskriminierung",
        "es": "Coalición Africana de Ciudades contra el Racismo y la Discriminación",
        "ar": "التحالف الأفريقي للمدن لمناهضة العنصرية والتمييز",
    },
    "Arab Coalition": {
        "fr": "Coalition des villes arabes contre le racisme, la discrimination, la xénophobie "
        "et l'intolérance",
        "de": "Koalition arabischer Städte gegen Rassismus, Diskriminierung, "
        "Fremdenfeindlichkeit und Intoleranz",
        "es": "Coalición de Ciudades Árabes contra el Racismo, la Discriminación, la Xenofobia "
        "y la Intolerancia",
        "ar": "تحالف المدن العربية لمناهضة العنصرية والتمييز وكراهية الأجانب والتعصب",
    },
    "APCAD": {
        "fr": "Coalition des villes d'Asie-Pacifique contre la discrimination",
        "de": "Asiatisch-pazifische Städtekoalition gegen Diskriminierung",
        "es": "Coalición de Ciudades de Asia y el Pacífico contra la Discriminación",
        "ar": "تحالف مدن آسيا والمحيط الهادئ لمناهضة التمييز",
    },
    "CMARD": {
        "fr": "Coalition canadienne des municipalités contre le racisme et la discrimination",
        "de": "Kanadische Koalition der Gemeinden gegen Rassismus und Diskriminierung",
        "es": "Coalición Canadiense de Municipios contra el Racismo y la Discriminación",
        "ar": "التحالف الكندي للبلديات لمناهضة العنصرية والتمييز",
    },
    "ECCAR": {
        "fr": "Coalition européenne des villes contre le racisme",
        "de": "Europäische Städtekoalition gegen Rassismus",
        "es": "Coalición Europea de Ciudades contra el Racismo",
        "ar": "التحالف الأوروبي للمدن لمناهضة العنصرية",
    },
    "LAC Coalition": {
        "fr": "Coalition des villes d'Amérique latine et des Caraïbes contre le racisme, "
        "la discrimination et la xénophobie",
        "de": "Koalition lateinamerikanischer und karibischer Städte gegen Rassismus, "
        "Diskriminierung und Fremdenfeindlichkeit",
        "es": "Coalición Latinoamericana y Caribeña de Ciudades contra el Racismo, "
        "la Discriminación y la Xenofobia",
        "ar": "تحالف مدن أمريكا اللاتينية والكاريبي لمناهضة العنصرية والتمييز وكراهية الأجانب",
    },
    "USCCAR": {
        "fr": "Coalition des villes des États-Unis contre le racisme et la discrimination",
        "de": "Städtekoalition der Vereinigten Staaten gegen Rassismus und Diskriminierung",
        "es": "Coalición de Ciudades de Estados Unidos contra el Racismo y la Discriminación",
        "ar": "تحالف مدن الولايات المتحدة لمناهضة العنصرية والتمييز",
    },
}

ECCAR_PLAN_TITLE = {
    "fr": "Plan d'action en dix points",
    "de": "Zehn-Punkte-Aktionsplan",
    "es": "Plan de Acción de Diez Puntos",
    "ar": "خطة العمل ذات النقاط العشر",
}

#: commitment number -> {language: title}
ECCAR_COMMITMENT_TITLES: dict[int, dict[str, str]] = {
    1: {
        "fr": "Une vigilance accrue contre le racisme",
        "de": "Verstärkte Wachsamkeit gegenüber Rassismus",
        "es": "Mayor vigilancia contra el racismo",
        "ar": "يقظة أكبر في مواجهة العنصرية",
    },
    2: {
        "fr": "Évaluer le racisme et la discrimination et suivre les politiques municipales",
        "de": "Bewertung der örtlichen Situation und der kommunalen Maßnahmen",
        "es": "Evaluar el racismo y la discriminación y dar seguimiento a las políticas "
        "municipales",
        "ar": "تقييم العنصرية والتمييز ورصد السياسات البلدية",
    },
    3: {
        "fr": "Un meilleur soutien aux victimes du racisme et de la discrimination",
        "de": "Bessere Unterstützung für die Opfer von Rassismus und Diskriminierung",
        "es": "Mejor apoyo a las víctimas del racismo y la discriminación",
        "ar": "دعم أفضل لضحايا العنصرية والتمييز",
    },
    4: {
        "fr": "Plus de participation et des citadins mieux informés",
        "de": "Mehr Partizipation und bessere Information der Bürgerinnen und Bürger",
        "es": "Más participación y una ciudadanía mejor informada",
        "ar": "مشاركة أوسع وسكان أفضل اطلاعًا",
    },
    5: {
        "fr": "La ville, promotrice active de l'égalité des chances",
        "de": "Die Stadt als aktive Förderin gleicher Chancen",
        "es": "La ciudad como promotora activa de la igualdad de oportunidades",
        "ar": "المدينة داعمةً نشطةً لممارسات تكافؤ الفرص",
    },
    6: {
        "fr": "La ville, employeur et prestataire de services garant de l'égalité des chances",
        "de": "Die Stadt als Arbeitgeberin und Dienstleisterin, die Chancengleichheit sichert",
        "es": "La ciudad como empleadora y prestadora de servicios con igualdad de oportunidades",
        "ar": "المدينة صاحبةَ عمل ومقدّمةَ خدمات تكفل تكافؤ الفرص",
    },
    7: {
        "fr": "Un accès équitable au logement",
        "de": "Chancengleichheit auf dem Wohnungsmarkt",
        "es": "Acceso equitativo a la vivienda",
        "ar": "الوصول العادل إلى السكن",
    },
    8: {
        "fr": "Combattre le racisme et la discrimination par l'éducation",
        "de": "Bekämpfung von Rassismus und Diskriminierung durch Bildung und Erziehung",
        "es": "Combatir el racismo y la discriminación mediante la educación",
        "ar": "مكافحة العنصرية والتمييز من خلال التعليم",
    },
    9: {
        "fr": "Promouvoir la diversité culturelle",
        "de": "Förderung der kulturellen Vielfalt",
        "es": "Promover la diversidad cultural",
        "ar": "تعزيز التنوع الثقافي",
    },
    10: {
        "fr": "Crimes de haine et gestion des conflits",
        "de": "Rassistische Gewalttaten und Konfliktmanagement",
        "es": "Delitos de odio y gestión de conflictos",
        "ar": "جرائم الكراهية وإدارة النزاعات",
    },
}


def fill_missing(obj, field: str, texts: dict[str, str]) -> list[str]:
    """Set each language's column that is still empty; never overwrite staff's translation."""
    changed = []
    for language, text in texts.items():
        column = f"{field}_{language}"
        if not getattr(obj, column):
            setattr(obj, column, text)
            changed.append(column)
    return changed
