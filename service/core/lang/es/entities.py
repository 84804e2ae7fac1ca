"""Spanish entity knowledge (the words service/core/entities/intl.py reads for Spanish only)."""

from __future__ import annotations

# Common nouns that say what kind of organization the name after them is: "la empresa pública
# Hunosa", "las forestales Arauco y CMPC", "la aerolínea Binter". Adjectives may stand between;
# the model reads many such names as places or people.
ORG_KINDS = frozenset(
    "empresa empresas compañía compañías grupo firma constructora aerolínea aerolíneas operador "
    "operadora fabricante multinacional eléctrica petrolera minera forestal forestales naviera "
    "asociación sindicato cadena entidad consultora aseguradora distribuidora cooperativa "
    "concesionaria banco club consorcio".split()
)

# Institutions named by the place they serve, besides the organization heads of
# service/core/data/languages.py: "la Alcaldía de Medellín", "el Cabildo de El Hierro".
PLACE_INSTITUTIONS = frozenset(
    "Alcaldía Concejo Cabildo Diputación Hospital Intendencia Gobernación Municipalidad "
    "Fiscalía Audiencia Parlamento Consejería Delegación Subdelegación Xunta Metro "
    "Universidad Ayuntamiento Policía Tribunal Junta Instituto Puerto".split()
)

# Roles that an apposition names ("la portavoz de Vox, Pepa Millán,"), besides the titles of
# service/core/data/languages.py.
APPOSITION_ROLES = frozenset(
    "ministro ministra presidente presidenta director directora portavoz consejero consejera "
    "alcalde alcaldesa concejal concejala gerente secretario secretaria delegado delegada "
    "responsable fundador fundadora gobernador gobernadora fiscal diputado diputada senador "
    "senadora viceministro viceministra subsecretario subsecretaria coordinador coordinadora "
    "jefe jefa titular decano decana rector rectora".split()
)
