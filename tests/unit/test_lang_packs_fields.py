"""Fields the packs read on pages of their language: headline, agency, dateline, publication
time (the misses of /work/blind/pages-ml-3, each with a page written here)."""

from __future__ import annotations

from service.core.normalize.page import Article, normalize

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
