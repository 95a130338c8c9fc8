{#- JSON access. Documents are `json` on DuckDB, `jsonb` on PostgreSQL and a
    string on Spark. Paths are lists of object keys. -#}

{#- Text at a key path (null when absent; objects and arrays as JSON text). -#}
{% macro json_text(json_expr, path) -%}
    {{ return(adapter.dispatch('json_text', 'soc2')(json_expr, path)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_text(json_expr, path) -%}
    {{ soc2.raise_unsupported_adapter('json_text') }}
{%- endmacro %}

{# DuckDB: json_extract_string returns the unquoted value for scalars. #}
{% macro duckdb__json_text(json_expr, path) -%}
    json_extract_string({{ json_expr }}, '$.{{ path | join(".") }}')
{%- endmacro %}

{# PostgreSQL: #>> returns text for any jsonb value at the path. #}
{% macro postgres__json_text(json_expr, path) -%}
    ({{ json_expr }} #>> '{ {{- path | join(",") -}} }')
{%- endmacro %}

{# Spark: get_json_object returns scalars unquoted, containers as JSON text. #}
{% macro spark__json_text(json_expr, path) -%}
    get_json_object({{ json_expr }}, '$.{{ path | join(".") }}')
{%- endmacro %}


{#- The JSON value at a key path, as JSON. -#}
{% macro json_value(json_expr, path) -%}
    {{ return(adapter.dispatch('json_value', 'soc2')(json_expr, path)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_value(json_expr, path) -%}
    {{ soc2.raise_unsupported_adapter('json_value') }}
{%- endmacro %}

{% macro duckdb__json_value(json_expr, path) -%}
    json_extract({{ json_expr }}, '$.{{ path | join(".") }}')
{%- endmacro %}

{% macro postgres__json_value(json_expr, path) -%}
    ({{ json_expr }} #> '{ {{- path | join(",") -}} }')
{%- endmacro %}

{# Spark: a string value comes back unquoted; json_kind() tells the kinds apart. #}
{% macro spark__json_value(json_expr, path) -%}
    get_json_object({{ json_expr }}, '$.{{ path | join(".") }}')
{%- endmacro %}


{#- The kind of a JSON value: object, array, string, number, boolean, null;
    SQL null when the value is absent. -#}
{% macro json_kind(json_expr) -%}
    {{ return(adapter.dispatch('json_kind', 'soc2')(json_expr)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_kind(json_expr) -%}
    {{ soc2.raise_unsupported_adapter('json_kind') }}
{%- endmacro %}

{# DuckDB: json_type names the logical type (OBJECT, ARRAY, VARCHAR, ...). #}
{% macro duckdb__json_kind(json_expr) -%}
    case json_type({{ json_expr }})
        when 'OBJECT' then 'object'
        when 'ARRAY' then 'array'
        when 'VARCHAR' then 'string'
        when 'BOOLEAN' then 'boolean'
        when 'NULL' then 'null'
        when 'BIGINT' then 'number'
        when 'UBIGINT' then 'number'
        when 'DOUBLE' then 'number'
    end
{%- endmacro %}

{# PostgreSQL: jsonb_typeof already uses these names. #}
{% macro postgres__json_kind(json_expr) -%}
    jsonb_typeof({{ json_expr }})
{%- endmacro %}

{# Spark: the value is JSON text for containers and bare text for strings. #}
{% macro spark__json_kind(json_expr) -%}
    case
        when {{ json_expr }} is null then null
        when json_object_keys({{ json_expr }}) is not null then 'object'
        when json_array_length({{ json_expr }}) is not null then 'array'
        else 'string'
    end
{%- endmacro %}


{#- Wrap a value that may be one element or an array into an array that
    soc2.unnest_lateral() can explode; null stays null. -#}
{% macro json_as_array(json_expr) -%}
    {{ return(adapter.dispatch('json_as_array', 'soc2')(json_expr)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_as_array(json_expr) -%}
    {{ soc2.raise_unsupported_adapter('json_as_array') }}
{%- endmacro %}

{# DuckDB: json_extract with '$[*]' returns a list of json. #}
{% macro duckdb__json_as_array(json_expr) -%}
    case
        when {{ json_expr }} is null then null
        when json_type({{ json_expr }}) = 'ARRAY'
            then json_extract({{ json_expr }}, '$[*]')
        else [{{ json_expr }}]
    end
{%- endmacro %}

{% macro postgres__json_as_array(json_expr) -%}
    case
        when {{ json_expr }} is null then null
        when jsonb_typeof({{ json_expr }}) = 'array' then {{ json_expr }}
        else jsonb_build_array({{ json_expr }})
    end
{%- endmacro %}

{# Spark: from_json into array<string> keeps objects as their JSON text. #}
{% macro spark__json_as_array(json_expr) -%}
    case
        when {{ json_expr }} is null then null
        when json_array_length({{ json_expr }}) is not null
            then from_json({{ json_expr }}, 'array<string>')
        else array({{ json_expr }})
    end
{%- endmacro %}


{#- Text of one exploded array element (strings unquoted). -#}
{% macro json_element_text(element) -%}
    {{ return(adapter.dispatch('json_element_text', 'soc2')(element)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_element_text(element) -%}
    {{ soc2.raise_unsupported_adapter('json_element_text') }}
{%- endmacro %}

{% macro duckdb__json_element_text(element) -%}
    json_extract_string({{ element }}, '$')
{%- endmacro %}

{% macro postgres__json_element_text(element) -%}
    ({{ element }} #>> '{}')
{%- endmacro %}

{% macro spark__json_element_text(element) -%}
    {{ element }}
{%- endmacro %}


{#- A JSON value as text (for hashing, evidence and re-parsing). -#}
{% macro json_to_text(json_expr) -%}
    {{ return(adapter.dispatch('json_to_text', 'soc2')(json_expr)) }}
{%- endmacro %}

{% macro default__json_to_text(json_expr) -%}
    cast({{ json_expr }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__json_to_text(json_expr) -%}
    cast({{ json_expr }} as varchar)
{%- endmacro %}

{% macro spark__json_to_text(json_expr) -%}
    {{ json_expr }}
{%- endmacro %}


{#- Parse text into JSON; null when the text is not valid JSON. -#}
{% macro try_parse_json(text_expr) -%}
    {{ return(adapter.dispatch('try_parse_json', 'soc2')(text_expr)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__try_parse_json(text_expr) -%}
    {{ soc2.raise_unsupported_adapter('try_parse_json') }}
{%- endmacro %}

{# DuckDB: json_valid checks without raising. #}
{% macro duckdb__try_parse_json(text_expr) -%}
    case when json_valid({{ text_expr }}) then cast({{ text_expr }} as json) end
{%- endmacro %}

{# PostgreSQL 15 has no non-raising cast to jsonb (pg_input_is_valid is 16+),
   so the package creates a tiny helper function on run start
   (soc2.create_helper_functions). #}
{% macro postgres__try_parse_json(text_expr) -%}
    {{ soc2.helper_function_schema() }}.soc2_try_jsonb({{ text_expr }})
{%- endmacro %}

{# Spark keeps JSON as text: valid text is returned as it is. try_parse_json
   is in Spark 4.0+ and Databricks Runtime 15.3+. #}
{% macro spark__try_parse_json(text_expr) -%}
    case when try_parse_json({{ text_expr }}) is not null then {{ text_expr }} end
{%- endmacro %}


{#- The keys of a JSON object as an array that soc2.unnest_lateral() can
    explode (elements read with soc2.json_element_text). -#}
{% macro json_object_keys_array(json_expr) -%}
    {{ return(adapter.dispatch('json_object_keys_array', 'soc2')(json_expr)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_object_keys_array(json_expr) -%}
    {{ soc2.raise_unsupported_adapter('json_object_keys_array') }}
{%- endmacro %}

{# DuckDB: json_keys gives varchar[]; each key becomes a JSON string so that
   elements read alike on every path. #}
{% macro duckdb__json_object_keys_array(json_expr) -%}
    case
        when json_type({{ json_expr }}) = 'OBJECT'
            then list_transform(json_keys({{ json_expr }}), lambda object_key: to_json(object_key))
    end
{%- endmacro %}

{% macro postgres__json_object_keys_array(json_expr) -%}
    (
        select jsonb_agg(object_key)
        from jsonb_object_keys(
            case when jsonb_typeof({{ json_expr }}) = 'object' then {{ json_expr }} end
        ) as object_key
    )
{%- endmacro %}

{% macro spark__json_object_keys_array(json_expr) -%}
    json_object_keys({{ json_expr }})
{%- endmacro %}


{#- The value under a key given as an SQL text expression (not a literal path). -#}
{% macro json_value_at_key(json_expr, key_expr) -%}
    {{ return(adapter.dispatch('json_value_at_key', 'soc2')(json_expr, key_expr)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__json_value_at_key(json_expr, key_expr) -%}
    {{ soc2.raise_unsupported_adapter('json_value_at_key') }}
{%- endmacro %}

{# DuckDB: a path may be computed; the key is quoted so ':' and '.' are safe. #}
{% macro duckdb__json_value_at_key(json_expr, key_expr) -%}
    json_extract({{ json_expr }}, '$."' || replace({{ key_expr }}, '"', '\"') || '"')
{%- endmacro %}

{% macro postgres__json_value_at_key(json_expr, key_expr) -%}
    ({{ json_expr }} -> ({{ key_expr }}))
{%- endmacro %}

{# Spark: bracket notation keeps ':' and '.' in keys intact. #}
{% macro spark__json_value_at_key(json_expr, key_expr) -%}
    get_json_object({{ json_expr }}, concat('$[\'', {{ key_expr }}, '\']'))
{%- endmacro %}


{#- A list column (CloudQuery's list<utf8>: varchar[] on DuckDB, text[] on
    PostgreSQL, array<string> on Spark) as a JSON array, so that the JSON
    macros above can read it; null stays null. -#}
{% macro text_array_to_json(array_expr) -%}
    {{ return(adapter.dispatch('text_array_to_json', 'soc2')(array_expr)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__text_array_to_json(array_expr) -%}
    {{ soc2.raise_unsupported_adapter('text_array_to_json') }}
{%- endmacro %}

{% macro duckdb__text_array_to_json(array_expr) -%}
    to_json({{ array_expr }})
{%- endmacro %}

{% macro postgres__text_array_to_json(array_expr) -%}
    to_jsonb({{ array_expr }})
{%- endmacro %}

{% macro spark__text_array_to_json(array_expr) -%}
    to_json({{ array_expr }})
{%- endmacro %}
