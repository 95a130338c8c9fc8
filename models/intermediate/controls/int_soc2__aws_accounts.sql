{{ config(materialized="table") }}
-- One row per AWS account seen in any staging model whose rows name the
-- account they were synced from (soc2.account_models, generated from the
-- staging models' YAML by `soc2 controls`).
with account_ids as (

    {%- for model_name in soc2.account_models() %}
    select account_id from {{ ref(model_name) }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}

),

final as (

    select account_id
    from account_ids
    where account_id is not null

)

select * from final
