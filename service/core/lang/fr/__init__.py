"""French (fr): stop words, months and weekdays, temporal words, Francophone wire agencies and
the furniture of French-language news sites (consent banners, "À lire aussi", "Réservé aux
abonnés", "Temps de lecture", "Mentions légales", "Par ...", "(Reportage ...)")."""

from __future__ import annotations

from typing import Any

from service.core.lang.pack import LanguagePack, Table

# Moved here from service/core/data/calendar.py and languages.py (data only).
MONTHS: Table = (
    ("janvier", "janv"),
    ("février", "févr"),
    ("mars",),
    ("avril", "avr"),
    ("mai",),
    ("juin",),
    ("juillet", "juil"),
    ("août", "aout"),
    ("septembre",),
    ("octobre",),
    ("novembre",),
    ("décembre", "déc"),
)

WEEKDAYS: Table = (
    ("lundi",),
    ("mardi",),
    ("mercredi",),
    ("jeudi",),
    ("vendredi",),
    ("samedi",),
    ("dimanche",),
)

TEMPORAL: dict[str, Any] = {
    "days": {
        "aujourd'hui": 0,
        "aujourd’hui": 0,
        "hier": -1,
        "demain": 1,
        "avant-hier": -2,
        "après-demain": 2,
    },
    "day_parts": {"cette nuit": (0, "NI")},
    "now": ("actuellement", "maintenant", "désormais", "à présent", "en ce moment"),
    "past_ref": ("autrefois", "jadis", "récemment", "naguère"),
    "future_ref": ("bientôt", "prochainement", "à l'avenir", "à l’avenir"),
    "units": {
        "jour": "D",
        "jours": "D",
        "journée": "D",
        "journées": "D",
        "semaine": "W",
        "semaines": "W",
        "mois": "M",
        "an": "Y",
        "ans": "Y",
        "année": "Y",
        "années": "Y",
        "heure": "H",
        "heures": "H",
        "minute": "MIN",
        "minutes": "MIN",
        "décennie": "DE",
        "décennies": "DE",
        "siècle": "CE",
        "siècles": "CE",
        "trimestre": "Q",
        "trimestres": "Q",
        "week-end": "WE",
        "week-ends": "WE",
        "fin de semaine": "WE",
    },
    "numbers": {
        "un": 1,
        "une": 1,
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "quinze": 15,
        "vingt": 20,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "cent": 100,
        "quelques": None,
        "plusieurs": None,
    },
    "last": (
        "dernier",
        "dernière",
        "derniers",
        "dernières",
        "passé",
        "passée",
        "précédent",
        "précédente",
    ),
    "next": ("prochain", "prochaine", "suivant", "suivante", "à venir"),
    "this": ("ce", "cet", "cette"),
    "ago": ("il y a",),
    "within": ("dans", "d'ici", "d’ici"),
    "every": ("chaque",),
    "every_plural": ("tous les", "toutes les"),
    "adverb_sets": {
        "quotidiennement": "P1D",
        "chaque jour": "P1D",
        "annuellement": "P1Y",
        "mensuellement": "P1M",
        "hebdomadairement": "P1W",
    },
    "parts": {"matin": "MO", "après-midi": "AF", "soir": "EV", "soirée": "EV", "nuit": "NI"},
    "seasons": {"printemps": "SP", "été": "SU", "automne": "FA", "hiver": "WI"},
    "past_cues": (
        r"a|ont|avait|avaient|était|étaient|fut|furent|s'est|se sont|s’est|a été|ont été"
        r"|dernier|dernière|passé|passée|déjà"
    ),
    "future_cues": (
        r"va|vont|sera|seront|aura|auront|doit|doivent|devrait|devraient|prévu|prévue|prévus"
        r"|prochain|prochaine|compte|entend|\w+(?:era|eront|ira|iront|ra|ront)"
    ),
}

DECADE_WORDS: dict[str, int] = {
    "vingt": 2,
    "trente": 3,
    "quarante": 4,
    "cinquante": 5,
    "soixante": 6,
    "soixante-dix": 7,
    "quatre-vingt": 8,
    "quatre-vingts": 8,
    "quatre-vingt-dix": 9,
}

MONTH_ABBREVIATIONS: dict[str, int] = {
    "janv": 1,
    "fév": 2,
    "févr": 2,
    "avr": 4,
    "juil": 7,
    "sept": 9,
    "oct": 10,
    "nov": 11,
}

CAPITALIZED_NON_NAMES: frozenset[str] = frozenset(
    "le la les l un une des du de d au aux ce cet cette ces il elle ils elles on nous vous "
    "je mais et ou donc or ni car selon après avant pendant depuis dans en sur sous pour "
    "par avec sans lors alors ainsi aussi encore déjà plus moins très tout tous toute "
    "toutes son sa ses leur leurs notre nos votre vos mon ma mes qui que quoi dont où si "
    "quand comme cependant toutefois enfin puis entre vers chez contre malgré parmi depuis "
    "lundi mardi mercredi jeudi vendredi samedi dimanche hier demain aujourd selon là ici "
    "voici voilà certains plusieurs chaque aucun aucune autre autres même mêmes quelque "
    "quelques c ça cela ceci celui celle ceux celles".split()
)

AGENCIES: dict[str, tuple[str, ...]] = {
    "Belga": ("Belga", "Agence Belga"),
    # named as the credit names it: "(ats)" is ATS, "(Keystone-ATS)" the merged agency's name,
    # as the German pack names "(sda)" SDA
    "ATS": ("ATS", "Agence télégraphique suisse"),
    "Keystone-ATS": ("Keystone-ATS", "Keystone ATS"),
    "MAP": ("MAP", "Maghreb Arabe Presse"),
    "TAP": ("TAP", "Tunis Afrique Presse"),
    # the Canadian Press's French service, named as its French credit line names it
    "La Presse Canadienne": ("La Presse Canadienne",),
}
CHROME: tuple[str, ...] = (
    # moved from service/core/normalize/chrome.py
    r"((à )?lire (aussi|également)|voir aussi|sur le même sujet|articles? similaires)"
    r"(\s*:.{0,120})?",
    r"(partager|imprimer) (sur|en|auf|on|per|par) [\w-]+|abonnez-vous|s'abonner|"
    r"(\d+ )?commentaires?",
    r".*\b(cookies?|traceurs?)\b.*\b(accepte[rz]?|j'accepte|refuser|paramétrer|personnaliser|"
    r"consentement|continuer)\b.*",
    r"(se connecter|connexion|s'abonner|abonnez-vous|essai gratuit|journal numérique|"
    r"mon compte|s'inscrire)\b.*",
    r"(partager|tweeter|courriel|envoyer par courriel|imprimer|réagir)"
    r"([ ,|/•·]+(partager|tweeter|courriel|whatsapp|facebook|twitter|imprimer|"
    r"envoyer par courriel|partager sur \w+))*",
    r"partager sur \w+.*",
    r"(temps de )?lecture ?: ?\d+ ?min(\.|utes?)?",
    r"en direct ?\|.*",
    r"(\d+ )?(commentaires?|réactions?)\b.{0,40}",
    r"(les plus (partagés|lus|commentés)|dans la même rubrique|à la une|nos dernières infos|"
    r"les plus populaires)",
    r"(réservé aux abonnés\s*[|:]?|(?-i:PLUS))\s+.{0,120}",
    r"(mots[- ]clés|thèmes)\s*:.*",
    r"(recevez|inscrivez-vous).{0,80}\b(newsletter|lettre d'information)\b.*",
    r"(mentions légales|vie privée|protection des données|impressum)\b([ |·•/,]+.*)?",
    r"(image|photo|crédit photo|illustration)\s*:.{0,160}",
    r"espace publicitaire|publicité",
    r"(accueil|à la une)\s*(»|>|›|/).*",
    # more of the same on other sites
    r"(déjà abonné|connectez-vous|la suite (est )?réservée aux abonnés|"
    r"article réservé aux abonnés|offre (spéciale|découverte)|écouter cet article|"
    r"copier le lien|partager cet article|contenus? sponsorisés?|les articles les plus lus|"
    r"nos newsletters|gérer (mes|les) cookies|suivez-nous( sur)?)\b[^.!?]{0,80}",
    # words that are furniture only alone on their line (sentences may open with them)
    r"(lire la suite|pour aller plus loin|fil info)\W*",
    r"(conditions générales( d'utilisation)?|cgu|politique de confidentialité|"
    r"tous droits réservés|plan du site)\b([ |·•/,]+.*)?",
    # a rights line anywhere in its line ("Belga – Tous droits de reproduction réservés."), as
    # the German pack's "alle Rechte vorbehalten" and the base rules' "All rights reserved"
    r".*\btous droits (de reproduction )?réservés\b.*",
    # and its other wording ("... (APS). Toute reproduction interdite sans mention de la
    # source."), as the Spanish pack's "Prohibida su reproducción"
    r".*\b(toute )?reproduction (totale ou partielle )?(est )?interdite\b.*",
)
SECTION_WORDS: tuple[str, ...] = (
    "actualité",
    "monde",
    "économie",
    "politique",
    "régions",
    "culture",
    "sports",
    "société",
    "international",
    "national",
    "opinions",
    "météo",
    "faits divers",
    "sciences",
    "santé",
    "environnement",
    "justice",
    "régional",
)
STOP_SECTIONS: tuple[str, ...] = (
    r"(\d+ )?(commentaires?|réactions?)\b",
    r"(les plus (partagés|lus|commentés)|dans la même rubrique|sur le même sujet|"
    r"nos dernières infos|à lire également|articles? similaires)",
    r"(mots[- ]clés|thèmes)\s*:",
    r"mentions légales",
)
INLINE: tuple[str, ...] = (
    # a caption crediting its picture
    r"(?:image|photo)\s*:.{0,200}$",
    r"(à )?lire (aussi|également)\s*[:|>»›]",
    r"voir aussi\s*[:|>»›]",
    r"(?-i:PLUS)\s+(?-i:[A-ZÀ-Ý])",
    # another story's headline under the subscribers' mark ("ABONNÉS Le marché couvert ...")
    r"(?-i:ABONNÉS?)\s+(?-i:[A-ZÀ-Ý])",
    r"réservé aux abonnés",
)
COUNTED: tuple[str, ...] = ("commentaires", "commentaire", "réactions", "réaction", "partages")
# moved from service/core/normalize/textpage.py
DATE_WORDS: tuple[str, ...] = ("publié", "mis", "à", "jour", "le", "actualisé", "modifié")
BYLINE: tuple[str, ...] = ("par",)
CREDIT: tuple[str, ...] = (
    r"\(?\s*(reportage|rédaction|édité par|version française|texte|avec)\b[^)]{0,200}\)?\s*$",
    # who funds the reporting: "Ce reportage a bénéficié du soutien de ...", as English's
    # "... journalism co-funded by ..."
    r"(ce|cet|cette) (reportage|article|enquête|série|contenu) a (bénéficié du soutien|"
    r"été (réalisée?|produite?|financée?) (avec|grâce|par))\b.{0,200}$",
)

# Courtesy titles before a surname: "M. Jordan", "Mme Le Pen", "Me Dupont" (an advocate).
COURTESY_TITLES = frozenset("m mm mme mmes mlle mlles me dr pr".split())

PACK = LanguagePack(
    code="fr",
    name="French",
    stoplist="French",
    months=MONTHS,
    weekdays=WEEKDAYS,
    temporal=TEMPORAL,
    decade_words=DECADE_WORDS,
    month_abbreviations=MONTH_ABBREVIATIONS,
    capitalized_non_names=CAPITALIZED_NON_NAMES,
    agencies=AGENCIES,
    chrome=CHROME,
    section_words=SECTION_WORDS,
    stop_sections=STOP_SECTIONS,
    inline=INLINE,
    counted=COUNTED,
    date_words=DATE_WORDS,
    byline=BYLINE,
    credit=CREDIT,
    day_first=True,
    courtesy_titles=COURTESY_TITLES,
)
