"""Spanish (es): stop words, months and weekdays, temporal words, Spanish-language wire agencies
(EFE, Europa Press, Télam, Notimex) and the furniture of Spanish and Latin American news sites
("Te puede interesar", "Mirá también", "Exclusivo suscriptores", "Aviso legal", "Por ...",
"(Fuente: ...)")."""

from __future__ import annotations

from typing import Any

from service.core.lang.pack import LanguagePack, Table

# Moved here from service/core/data/calendar.py and languages.py (data only).
MONTHS: Table = (
    ("enero", "ene"),
    ("febrero",),
    ("marzo",),
    ("abril",),
    ("mayo",),
    ("junio",),
    ("julio",),
    ("agosto", "ago"),
    ("septiembre", "setiembre"),
    ("octubre",),
    ("noviembre",),
    ("diciembre", "dic"),
)

WEEKDAYS: Table = (
    ("lunes",),
    ("martes",),
    ("miércoles",),
    ("jueves",),
    ("viernes",),
    ("sábado",),
    ("domingo",),
)

TEMPORAL: dict[str, Any] = {
    "days": {
        "hoy": 0,
        "ayer": -1,
        "mañana": 1,
        "anteayer": -2,
        "antier": -2,
        "pasado mañana": 2,
    },
    "day_parts": {"anoche": (-1, "NI"), "madrugada": (0, "NI")},
    "now": ("actualmente", "ahora", "en la actualidad", "hoy en día", "en este momento"),
    "past_ref": ("antiguamente", "recientemente", "hace poco"),
    "future_ref": ("pronto", "próximamente", "en el futuro"),
    "units": {
        "día": "D",
        "días": "D",
        "jornada": "D",
        "jornadas": "D",
        "semana": "W",
        "semanas": "W",
        "mes": "M",
        "meses": "M",
        "año": "Y",
        "años": "Y",
        "hora": "H",
        "horas": "H",
        "minuto": "MIN",
        "minutos": "MIN",
        "década": "DE",
        "décadas": "DE",
        "siglo": "CE",
        "siglos": "CE",
        "trimestre": "Q",
        "trimestres": "Q",
        "fin de semana": "WE",
        "fines de semana": "WE",
    },
    "numbers": {
        "un": 1,
        "una": 1,
        "uno": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "once": 11,
        "doce": 12,
        "quince": 15,
        "veinte": 20,
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
        "cien": 100,
        "varios": None,
        "varias": None,
        "unos": None,
        "unas": None,
        "algunos": None,
        "algunas": None,
    },
    "last": ("pasado", "pasada", "anterior", "último", "última"),
    "next": ("próximo", "próxima", "que viene", "siguiente", "entrante"),
    "this": ("este", "esta", "este mismo", "esta misma"),
    "ago": ("hace",),
    "within": ("dentro de",),
    "every": ("cada",),
    "every_plural": ("todos los", "todas las"),
    "adverb_sets": {
        "diariamente": "P1D",
        "semanalmente": "P1W",
        "mensualmente": "P1M",
        "anualmente": "P1Y",
    },
    "parts": {"mañana": "MO", "mediodía": "MI", "tarde": "AF", "noche": "NI"},
    "seasons": {"primavera": "SP", "verano": "SU", "otoño": "FA", "invierno": "WI"},
    "past_cues": (
        r"ha|han|había|habían|fue|fueron|era|eran|dijo|informó|anunció|pasado|pasada|ya"
        r"|\w+(?:ó|aron|ieron)"
    ),
    "future_cues": (
        r"va a|van a|será|serán|habrá|prevé|previsto|prevista|próximo|próxima|\w+(?:ará|erá|irá"
        r"|arán|erán|irán)"
    ),
}

DECADE_WORDS: dict[str, int] = {
    "veinte": 2,
    "treinta": 3,
    "cuarenta": 4,
    "cincuenta": 5,
    "sesenta": 6,
    "setenta": 7,
    "ochenta": 8,
    "noventa": 9,
}

MONTH_ABBREVIATIONS: dict[str, int] = {
    "feb": 2,
    "mar": 3,
    "abr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
}

CAPITALIZED_NON_NAMES: frozenset[str] = frozenset(
    "el la los las lo un una unos unas del al de a en con por para sin sobre tras desde "
    "hasta entre hacia según durante ante bajo y e o u ni pero sino aunque porque como "
    "cuando donde que quien cual cuyo si no ya también además así este esta estos estas ese "
    "esa esos esas aquel aquella su sus mi mis tu tus nuestro nuestra él ella ellos ellas "
    "nosotros usted se le les me te nos todo todos toda todas otro otra otros otras cada "
    "muy más menos hoy ayer mañana lunes martes miércoles jueves viernes sábado domingo sin "
    "embargo luego después antes entonces allí aquí".split()
)

AGENCIES: dict[str, tuple[str, ...]] = {
    "Télam": ("Télam", "Telam", "Agencia Télam"),
    "Andina": ("Andina", "Agencia Andina"),
    "Servimedia": ("Servimedia",),
    "Colpisa": ("Colpisa",),
}
CHROME: tuple[str, ...] = (
    # moved from service/core/normalize/chrome.py
    r"(lea también|lee también|leé también|le puede interesar|te puede interesar|"
    r"noticias relacionadas|ver también|más información)(\s*:.{0,120})?",
    r"(compartir|imprimir) (sur|en|auf|on|per|par) [\w-]+|suscr[ií]bete|(\d+ )?comentarios?",
    r".*\bcookies?\b.*\b(usamos|utilizamos|aceptar|acepto|configurar|rechazar|política|"
    r"consentimiento|navegando)\b.*",
    r"(suscr[ií]bete|suscribite|hazte suscriptor|iniciar sesión|entrar|registrarse|"
    r"edición impresa|mi cuenta)([ |•·/]+(suscr[ií]bete|suscribite|iniciar sesión|entrar|"
    r"edición impresa|registrarse|hazte suscriptor))*",
    r"(compartir|compartí esta nota|guardar|comentar|imprimir|enviar por (e-?mail|correo))"
    r"( en \w+)?\s*:?([ ,|/•·]+(compartir|compartir en \w+|guardar|comentar|facebook|twitter|"
    r"whatsapp|e-?mail|imprimir|enviar por (e-?mail|correo)))*",
    r"en vivo\s*\|.*",
    r"(ver )?comentarios?\s*\(\d+\)|(\d+ )?comentarios?",
    r"(lo más (visto|leído)|las más leídas|lo último en\b.*|noticias relacionadas|"
    r"te recomendamos|más noticias)",
    r"exclusivo suscriptores\b.*",
    r"(archivado en|etiquetas|temas)\s*:.*",
    r"(recibe|suscr[ií]bete|registrate).{0,80}\b(newsletter|boletín|correo)\b.*",
    r"(aviso legal|términos y condiciones|política de privacidad|quiénes somos)\b([ |·•/,]+.*)?",
    r"seguinos en .*|síguenos en .*",
    r"(anuncio|publicidad)",
    r"(foto|imagen|fotografía)\s*:.{0,160}",
    r"(inicio|portada)\s*(»|>|›|/).*",
    # more of the same on other sites
    r"(ya soy suscriptor|ya sos suscriptor|inicia sesión|copiar enlace|comparte esta noticia|"
    r"compartir en \w+|lo más leído|más leídas|te recomendamos|contenido exclusivo|"
    r"escuchar (esta )?noticia|tiempo de lectura\s*:?\s*\d+ ?min\w*|síguenos en)\b[^.!?]{0,80}",
    r"relacionad[oa]s?\s*:.{0,120}",
    # words that are furniture only alone on their line (sentences may open with them)
    r"(seguir leyendo|leer más|ver más)\W*",
    r"(política de cookies|todos los derechos reservados|mapa del sitio|contacto)\b"
    r"([ |·•/,]+.*)?",
    # a rights line anywhere in its line ("... ANDINA. Prohibida su reproducción total o parcial
    # sin citar la fuente."), as the German pack's "alle Rechte vorbehalten" and the base rules'
    # "All rights reserved"
    r".*\b(todos los derechos reservados|prohibida su reproducción)\b.*",
)
SECTION_WORDS: tuple[str, ...] = (
    "política",
    "economía",
    "sociedad",
    "internacional",
    "nacional",
    "deportes",
    "cultura",
    "finanzas",
    "tribunales",
    "espectáculos",
    "opinión",
    "mundo",
    "provincia",
    "ciencia",
    "tecnología",
    "salud",
    "sucesos",
)
STOP_SECTIONS: tuple[str, ...] = (
    r"(ver )?comentarios?\b",
    r"(lo más (visto|leído)|las más leídas|lo último en\b|noticias relacionadas)",
    r"(archivado en|etiquetas)\s*:",
    r"aviso legal",
)
INLINE: tuple[str, ...] = (
    # a caption crediting its picture
    r"(?:foto|imagen)\s*:.{0,200}$",
    # a caption whose one sentence ends with its credit in capitals ("Pasajeros en la terminal.
    # EUROPA PRESS", "... este martes. EL MIRADOR"), as English captions end with "(AFP)"
    r"[^.!?\n]{10,200}[.]\s+"
    r"(?-i:[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ.&-]*(?:\s+[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ.&-]*){0,3})"
    r"(?:\s*/\s*[^./]{1,40})?\s*$",
    r"(te|le) puede interesar\s*[:|>»›]",
    # "Leé también:", the voseo of Uruguay and Argentina, as "Mirá también:"
    r"(mirá|mira|lee|leé|lea|ver) también\s*[:|>»›]",
    r"exclusivo suscriptores",
)
COUNTED: tuple[str, ...] = ("comentarios", "comentario", "reacciones")
# moved from service/core/normalize/textpage.py
DATE_WORDS: tuple[str, ...] = ("publicado", "actualizado", "el", "de", "las")
BYLINE: tuple[str, ...] = ("por",)
CREDIT: tuple[str, ...] = (
    r"\(\s*(reporte|reportaje|fuente|editado|redacción|información)\b[^)]{0,200}\)\s*$",
    r"[a-z]{2,4}(/[a-z]{2,4}){1,3}\s*$",
)

# Courtesy titles before a surname: "la Sra. Millán", "don Esteban".
COURTESY_TITLES = frozenset("sr sra srta dr dra don doña".split())

PACK = LanguagePack(
    code="es",
    name="Spanish",
    stoplist="Spanish",
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
