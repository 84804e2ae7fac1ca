"""Fields the packs read on pages of their language: headline, agency, dateline, publication
time (the misses of /work/blind/pages-ml-3, each with a page written here)."""

from __future__ import annotations

from service.core.normalize.page import Article, normalize


def _chrome_not_prose(chrome: tuple[str, ...], prose: tuple[str, ...]) -> None:
    """Each `chrome` line is the site's furniture; each `prose` line, written like it, is not."""
    from service.core.normalize.chrome import is_rule_chrome

    for line in chrome:
        assert is_rule_chrome(line), line
    for line in prose:
        assert not is_rule_chrome(line), line


_SPANISH_CAPTION = """LA VOZ DEL VALLE
El diario de la comarca

Suscríbete | Iniciar sesión

Economía

La cooperativa del valle exporta un 20 por ciento más de aceite

Compartir: Facebook | X | WhatsApp

Operarios descargan aceitunas en la almazara de la cooperativa. LA VOZ

La cooperativa agrícola del valle exportó el año pasado un 20 por ciento más de aceite que en \
el ejercicio anterior, según los datos presentados este lunes por su presidente ante la \
asamblea de socios, que aprobó las cuentas por unanimidad.

El presidente atribuyó el crecimiento a la apertura de nuevos mercados en Asia y anunció que \
la cooperativa invertirá dos millones de euros en una nueva línea de envasado el próximo año.

Etiquetas: Aceite, Cooperativas
© 2024 La Voz del Valle
"""


def test_a_spanish_caption_with_its_credit_in_capitals_is_no_headline() -> None:
    article = normalize(_SPANISH_CAPTION.encode())
    assert isinstance(article, Article)
    assert article.language == "es"
    assert article.title == "La cooperativa del valle exporta un 20 por ciento más de aceite"
    assert "Operarios descargan" not in article.body
    assert article.body.startswith("La cooperativa agrícola del valle")


_FRENCH_UPDATED = """JOURNAL DU LAC
L'actualité de la Riviera

S'abonner | Se connecter

Région

Le port de plaisance sera agrandi d'ici à 2027

12.03.2024 – 09:40
Mis à jour il y a 3 heures
Temps de lecture : 2 min

Partager : Facebook | X | WhatsApp | E-mail

Le quai nord du port, où seront construites les nouvelles places. © Journal du Lac

Le conseil communal a approuvé mardi soir l'agrandissement du port de plaisance, qui comptera \
cent vingt places de plus d'ici à 2027. Le projet coûtera onze millions de francs, selon la \
municipalité, qui compte sur une subvention cantonale pour en couvrir le tiers.

Les navigateurs attendent depuis des années une place dans le port, où la liste d'attente \
compte plus de quatre cents noms, a rappelé le syndic devant le conseil.

Mots-clés : Port, Navigation
© 2024 Journal du Lac
"""


def test_a_french_line_updated_some_hours_ago_is_a_date_line_never_the_headline() -> None:
    article = normalize(_FRENCH_UPDATED.encode())
    assert isinstance(article, Article)
    assert article.language == "fr"
    assert article.title == "Le port de plaisance sera agrandi d'ici à 2027"


def test_a_relative_date_in_each_packs_language_closes_its_line() -> None:
    from service.core.normalize.published import has_relative_date

    for line in ("Mis à jour il y a 2 heures", "Aktualisiert vor 3 Stunden", "hace 5 minutos"):
        assert has_relative_date(line), line
    # a sentence that opens with the phrase is no date line
    assert not has_relative_date("Vor 3 Jahren starb er in Berlin, sagte die Polizei.")
    assert not has_relative_date("Il y a 2 ans, la commune avait voté le projet.")


def test_the_swiss_agency_is_named_as_its_credit_names_it() -> None:
    from service.core.normalize.dateline import find_dateline

    for line, agency in (
        ("Sion (ats) - Un éboulement a coupé la route", "ATS"),
        ("NYON (Keystone-ATS) - Le festival a fermé ses portes", "Keystone-ATS"),
        ("Genf (sda) - Der Beschleuniger", "SDA"),
    ):
        found = find_dateline(line)
        assert found is not None and found.agency == agency, line


_SPANISH_DATED = """EL ECO DEL PUERTO
Noticias de la bahía

Hazte socio | Acceder

Sociedad

El puerto abre una nueva terminal para cruceros

Por Marta Gil Soto
{date_line}

El puerto inauguró este miércoles una nueva terminal para cruceros que podrá atender a dos \
barcos a la vez, según informó la autoridad portuaria, que ha invertido doce millones de euros \
en las obras de los últimos dos años.

La presidenta de la autoridad portuaria explicó que la terminal permitirá recibir a más de \
trescientos mil pasajeros al año y creará un centenar de empleos directos en la ciudad.

Etiquetas: Puerto, Cruceros
© 2024 El Eco del Puerto
"""


def test_a_spanish_numeric_date_is_read_day_first_with_its_time() -> None:
    from datetime import datetime

    for date_line, expected in (
        ("Santander | 10/07/2024 - 12:48 h", datetime(2024, 7, 10, 12, 48)),
        ("10/07/2024 · 12:48", datetime(2024, 7, 10, 12, 48)),
        ("19/10/2023 · 13:52", datetime(2023, 10, 19, 13, 52)),
    ):
        article = normalize(_SPANISH_DATED.format(date_line=date_line).encode())
        assert isinstance(article, Article)
        assert article.language == "es"
        assert article.published_at is not None, date_line
        assert article.published_at.replace(tzinfo=None) == expected, date_line


def test_a_german_staff_dateline_ends_with_a_full_stop() -> None:
    from service.core.normalize.dateline import find_dateline

    found = find_dateline("DÜSSELDORF. Nach einer langen Debatte hat der Landtag", "de")
    assert found is not None and (found.place, found.agency) == ("Düsseldorf", None)
    # only where the pack says its press writes them so, and never a sentence in capitals
    assert find_dateline("DÜSSELDORF. Nach einer langen Debatte hat der Landtag") is None
    assert find_dateline("LONDON. The council voted", "en") is None
    assert find_dateline("NRW. hat gewählt", "de") is None


_GERMAN_STAFF = """RHEIN-KURIER
Nachrichten vom Niederrhein

Abo | Login

Politik

Stadtrat beschließt neues Radwegenetz

Von Jana Weber
08.11.2023, 18:30 Uhr

KREFELD. Der Stadtrat hat am Dienstagabend ein neues Radwegenetz beschlossen. Bis 2028 sollen \
vierzig Kilometer neue Radwege entstehen, die Kosten von rund 30 Millionen Euro trägt zum \
größten Teil das Land, wie die Stadtverwaltung mitteilte.

Die Opposition kritisierte, dass die Pläne zu spät kämen und die Innenstadt nicht ausreichend \
berücksichtigt werde. Der Oberbürgermeister sprach dagegen von einem großen Schritt.

Impressum | Datenschutz | Kontakt
© 2023 Rhein-Kurier
"""


def test_a_german_page_with_a_staff_dateline_names_its_place() -> None:
    article = normalize(_GERMAN_STAFF.encode())
    assert isinstance(article, Article)
    assert article.language == "de"
    assert article.dateline is not None and article.dateline.place == "Krefeld"
    assert article.source.agency is None


_PUBLISHER_COPYRIGHT = """Skip to content
THE WOLDS COURIER
Louth · Horncastle · Market Rasen
Log in | Subscribe

News

Town council backs plan for new market hall

By Amy Clarke
Tuesday 12 March 2024 · 18:20

The town council voted on Monday evening to back plans for a new covered market hall on the \
site of the old cattle market, ending three years of argument over the future of the land.

The hall, which is expected to cost £4.2 million, would house forty stalls and a cafe, and \
councillors said they hoped building work could start next spring if the funding is secured.

Support local journalism: subscribe from £1 a week
© 2024 Lindsey Newspapers Ltd. Registered in England No. 01234567
"""


def test_the_masthead_over_its_slogan_is_the_site_not_the_publishers_copyright() -> None:
    article = normalize(_PUBLISHER_COPYRIGHT.encode())
    assert isinstance(article, Article)
    assert article.source.site == "The Wolds Courier"
    assert article.title == "Town council backs plan for new market hall"


def test_english_sponsored_lines_and_comment_counters_are_chrome() -> None:

    _chrome_not_prose(
        chrome=(
            "Sponsored: Is your boiler ready for winter? Book a free check with Acme Heating",
            "Join the conversation (48)",
            "Join the discussion",
        ),
        prose=(
            "Sponsored by the council, the fair opened on Monday with forty stalls.",
            "Join the conversation about the new bypass at the town hall on Friday, the mayor "
            "said.",
        ),
    )


def test_the_pages_own_headline_wins_over_a_social_title_written_for_sharing() -> None:
    page = (
        "<html><head><title>Harbour ferry fares to rise | Bay Courier</title>"
        '<meta property="og:title" content="Your ferry ticket is about to cost more">'
        "</head><body><article><p class='kicker'>TRANSPORT</p>"
        "<h1>Harbour ferry fares will rise by a fifth from April, operator says</h1>"
        "<p>The harbour ferry operator said on Tuesday that fares on all three of its routes "
        "would rise by about a fifth from the first of April, blaming fuel and wage costs.</p>"
        "<p>Commuters' groups said the rise would push more people back into their cars and "
        "called on the regional council to step in with a subsidy for season tickets.</p>"
        "</article></body></html>"
    )
    article = normalize(page.encode())
    assert isinstance(article, Article)
    assert article.title == "Harbour ferry fares will rise by a fifth from April, operator says"


def test_an_english_link_to_another_story_of_the_site_is_chrome() -> None:
    from service.core.normalize.chrome import is_rule_chrome

    assert is_rule_chrome("Also on The Bay Courier: Ferry fares to rise by a fifth in April")
    assert not is_rule_chrome("Also on Tuesday: the council met again and approved the budget.")


def test_an_html_storys_closing_credit_line_leaves_the_body_for_the_credits() -> None:
    page = (
        "<html><head><title>Port of Mombasa to add two berths | Coast Daily</title></head><body>"
        "<article><h1>Port of Mombasa to add two berths</h1>"
        "<p>MOMBASA, March 4 (Reuters) - Kenya's ports authority said on Monday it would build "
        "two new container berths at Mombasa by 2022, raising capacity by a third.</p>"
        "<p>The authority said the berths would be financed by a loan from Japan's development "
        "agency, and that dredging would begin before the end of the year.</p>"
        "<p>(Reporting by Jane Doe; Editing by John Roe)</p>"
        "</article></body></html>"
    )
    article = normalize(page.encode())
    assert isinstance(article, Article)
    assert article.body.rstrip().endswith("before the end of the year.")
    assert "(Reporting by Jane Doe; Editing by John Roe)" in article.credits


def test_a_price_on_a_date_line_is_no_time_of_day() -> None:
    from service.core.normalize import published as pubtime

    line = "Monterrey 39 °C · Dólar: $19.58 · Lunes 3 de junio de 2019"
    (date,) = pubtime.named_dates(line)
    completed = pubtime.with_time_from(date, line)
    assert not completed.has_time and completed.value.hour == 0
    line = "3 de junio de 2019 · 20:14"
    assert pubtime.with_time_from(pubtime.named_dates(line)[0], line).value.hour == 20


def test_a_time_with_a_spaced_h_is_the_time_of_day() -> None:
    """Québec's and Acadia's press write "19 h 02"; the page was dated midnight."""
    from service.core.normalize import published as pubtime

    for line, hour, minute in (
        ("Publié le 16 avril 2024 à 19 h 02", 19, 2),
        ("Mis à jour le 3 mars 2025 à 9 h 45", 9, 45),
        ("Publié le 16 avril 2024 à 19h02", 19, 2),
    ):
        completed = pubtime.with_time_from(pubtime.named_dates(line)[0], line)
        assert completed.has_time, line
        assert (completed.value.hour, completed.value.minute) == (hour, minute), line
    line = "Publié le 16 avril 2024 · 19 habitants évacués"
    assert not pubtime.with_time_from(pubtime.named_dates(line)[0], line).has_time


def test_a_french_rights_line_forbidding_reproduction_is_chrome() -> None:
    from service.core.normalize.chrome import is_rule_chrome

    assert is_rule_chrome(
        "Avec l'Agence de presse régionale (APR). Toute reproduction interdite sans mention."
    )
    assert is_rule_chrome("Reproduction interdite")
    assert not is_rule_chrome(
        "La reproduction de ces oiseaux est interdite de chasse depuis 1990, a rappelé le préfet."
    )


def test_the_french_credit_of_the_canadian_press_names_its_agency() -> None:
    page = """LE COURRIER DE LA BAIE
L'actualité de la Baie-des-Chaleurs

Économie

La scierie de Bathurst rouvre après six mois d'arrêt

La Presse Canadienne
Publié le 3 mars 2025 à 9 h 45

BATHURST — La scierie de Bathurst a repris ses activités lundi matin après six mois \
d'arrêt, a annoncé son propriétaire, qui a rappelé une centaine de travailleurs.

La direction a indiqué que la reprise avait été rendue possible par la hausse du prix du bois \
d'œuvre et par une entente conclue avec le syndicat au début de l'hiver.
"""
    article = normalize(page.encode())
    assert isinstance(article, Article)
    assert article.source.agency == "La Presse Canadienne"


def test_english_comment_counts_and_calls_to_the_reader_are_chrome() -> None:

    _chrome_not_prose(
        chrome=(
            "Comments (7)",
            "Comments 23",
            "3 comments · Leave a comment",
            "» Seen something? Send pictures to pictures@tamargazette.example",
            "Have a flooding photo? Email it to news@tamargazette.example",
            "Follow the Gazette on WhatsApp for road closures and flood warnings",
            "Join our Telegram channel: tap to get the headlines first",
            "Get bus alerts by text: Text BUS to 60444",
            "Support local journalism. Become a Gazette member from £3 a month.",
            "This page refreshes automatically. The latest post is at the top.",
            "New posts — click to refresh",
            "🎧 Listen to this article (3 min)",
        ),
        prose=(
            "Comments on the plan closed on Friday, the council said.",
            "Police asked anyone with dashcam footage to email the incident team.",
            "Send the letters to the minister, the protesters said on WhatsApp after the march.",
            "Get the bus to Plymouth and text your family when you arrive, the guide says.",
            "Support for local journalism grants rose by a third, the department said.",
        ),
    )


_MIXED_CASE_MASTHEAD = """The Tamar Gazette
Your valley, your paper — since 1871
Launceston · Tavistock · Callington
News | Sport | Farming | What's On

Farming

Market town votes to keep its Tuesday cattle sale

By Jenna Rowe
Wednesday 9 October 2024 · 07:15

Councillors in Launceston voted on Tuesday evening to keep the weekly cattle sale at the \
livestock market for at least another five years, after farmers packed the public gallery.

The market's operator had asked to cut the sale to once a fortnight, saying numbers of \
animals through the ring had fallen by a third since 2019, but councillors rejected the plan.

Sign up to Gazette Farming, our weekly newsletter
© 2024 Gazette Media (South West) Ltd. Registered in England No. 07654321
"""


def test_a_mixed_case_masthead_over_its_slogan_is_the_site_its_publisher_named_after() -> None:
    article = normalize(_MIXED_CASE_MASTHEAD.encode())
    assert isinstance(article, Article)
    assert article.source.site == "The Tamar Gazette"
    # named again in its furniture, with a publisher of another name
    page = _MIXED_CASE_MASTHEAD.replace("Gazette Media (South West) Ltd", "Moorland Print Ltd")
    page = page.replace(
        "Sign up to Gazette Farming, our weekly newsletter",
        "Download The Tamar Gazette app for Android and iOS",
    )
    article = normalize(page.encode())
    assert isinstance(article, Article)
    assert article.source.site == "The Tamar Gazette"


_FRENCH_CAPITALS_MASTHEAD = """LE GUETTEUR DE LA VALLÉE
L'actualité du val de Ruz et des Montagnes

S'abonner | Se connecter

Région

La commune rachète l'ancienne scierie pour y loger des artisans

Par Anne Roulet
Publié le 14 mars 2026 à 09 h 10

Le conseil général a accepté lundi soir l'achat de l'ancienne scierie du village pour un \
million de francs. La commune veut y installer une dizaine d'ateliers d'artisans d'ici à la \
fin de l'année prochaine, a indiqué le président du conseil communal.

ABONNÉS Le marché couvert rouvrira ses portes au printemps

Les travaux de transformation coûteront encore deux millions de francs, selon le devis \
présenté aux élus. Une partie sera couverte par un prêt cantonal sans intérêts, et les loyers \
des ateliers devraient rembourser le reste en quinze ans.

© 2026 Les Éditions du Guetteur de la vallée SA
"""


def test_a_masthead_in_capitals_is_cased_as_the_page_writes_it_elsewhere() -> None:
    article = normalize(_FRENCH_CAPITALS_MASTHEAD.encode())
    assert isinstance(article, Article)
    # "Le Guetteur de la Vallée" by the rule for places; the footer writes "vallée"
    assert article.source.site == "Le Guetteur de la vallée"
    assert article.title == "La commune rachète l'ancienne scierie pour y loger des artisans"
    # a subscribers' teaser of another story inside the story is furniture
    assert "ABONNÉS" not in article.body
    assert article.body.rstrip().endswith("le reste en quinze ans.")


_GERMAN_TEASERS = """Talbote
Die Zeitung für das obere Tal

Lokales

Gemeinde kauft das alte Sägewerk für neue Werkstätten

Von Anna Muster
14.03.2026, 09:10 Uhr

Der Gemeinderat hat am Montagabend den Kauf des alten Sägewerks im Dorfzentrum beschlossen. \
Für rund eine Million Franken sollen dort bis Ende des nächsten Jahres zehn Werkstätten für \
Handwerker entstehen, wie der Gemeindepräsident nach der Sitzung mitteilte.

Auch lesenswert: Der Wochenmarkt zieht im Frühling in die neue Halle um TB+

Die Umbauarbeiten kosten nach dem Kostenvoranschlag weitere zwei Millionen Franken. Einen \
Teil deckt ein zinsloses Darlehen des Kantons, den Rest sollen die Mieten der Werkstätten in \
fünfzehn Jahren zurückzahlen.

Talbote+ Streit um die Parkplätze: Was die Anwohner jetzt fordern

Die Bauarbeiten sollen im Herbst beginnen. Die Gemeinde rechnet mit rund achtzehn Monaten \
Bauzeit, in denen die Zufahrt zum Dorfplatz zeitweise gesperrt wird.
"""

_SPANISH_TEASER = """La Voz del Litoral

Locales

El municipio compra el viejo aserradero para talleres de artesanos

La Intendencia anunció este lunes la compra del viejo aserradero del centro de la ciudad por \
un millón de pesos. El intendente dijo que allí funcionarán diez talleres de artesanos antes \
de fin del año próximo, con alquileres accesibles para los jóvenes del departamento.

Leé también: Suscriptores | La feria del puerto se muda a la nueva rambla

Las obras de reforma costarán otros dos millones, según el presupuesto presentado a los \
ediles. Una parte la cubrirá un préstamo sin intereses del gobierno nacional y el resto se \
pagará con los alquileres de los talleres en quince años.
"""


def test_teasers_of_other_stories_with_a_read_also_word_or_a_paywall_mark_leave_the_body() -> None:
    article = normalize(_GERMAN_TEASERS.encode())
    assert isinstance(article, Article) and article.language == "de"
    assert "lesenswert" not in article.body and "Talbote+" not in article.body
    assert article.body.rstrip().endswith("zeitweise gesperrt wird.")
    article = normalize(_SPANISH_TEASER.encode())
    assert isinstance(article, Article) and article.language == "es"
    assert "Leé también" not in article.body
    assert article.body.rstrip().endswith("talleres en quince años.")
    # the HTML path reads the French wording too ("Lire également :")
    from service.core.normalize.chrome import is_rule_chrome

    assert is_rule_chrome("Lire également : Le marché couvert rouvrira ses portes au printemps")
    assert not is_rule_chrome("Il faudra lire également le rapport de la commission.")


def test_english_notes_on_comments_syndication_and_the_editor_are_chrome() -> None:

    _chrome_not_prose(
        chrome=(
            "Commenting is not available on this article.",
            "Comments on this story are moderated and close after 24 hours.",
            "Disclaimer: This story was not edited by Westbury Press staff and comes from a feed.",
            "WPA content is licensed to the Westbury Press and may not be republished.",
            "Editor's note: The Press's owner has no stake in the company named in this story.",
        ),
        prose=(
            "Comments on the draft plan closed last month, the council said.",
            "The licence was granted to the company in 2019, the editor said.",
        ),
    )


_FRENCH_FUNDED = """LE GUETTEUR DE LA VALLÉE
L'actualité du val de Ruz et des Montagnes

Région

La commune rachète l'ancienne scierie pour y loger des artisans

Le conseil général a accepté lundi soir l'achat de l'ancienne scierie du village pour un \
million de francs. La commune veut y installer une dizaine d'ateliers d'artisans d'ici à la \
fin de l'année prochaine, a indiqué le président du conseil communal.

Les travaux de transformation coûteront encore deux millions de francs, selon le devis \
présenté aux élus. Une partie sera couverte par un prêt cantonal sans intérêts.

Ce reportage a bénéficié du soutien du fonds régional pour le journalisme local.
Sujets : Commune, Artisanat
"""


def test_a_french_note_on_who_funds_the_reporting_leaves_the_body() -> None:
    article = normalize(_FRENCH_FUNDED.encode())
    assert isinstance(article, Article) and article.language == "fr"
    assert "bénéficié" not in article.body
    assert article.body.rstrip().endswith("un prêt cantonal sans intérêts.")


def test_english_links_to_other_stories_with_their_lead_in_are_chrome() -> None:

    _chrome_not_prose(
        chrome=(
            "ALSO IN THE PRESS: Westbury rowing club marks 150 years with a new boathouse",
            "Don't miss: Where to see the fireworks in Westbury this weekend",
        ),
        prose=(
            "Also in March: the council will vote on the budget.",
            "Don't miss: the fireworks start at 8pm, organisers said.",
        ),
    )
