-- Effective permissions hold one row per principal and action: models that
-- join them on (principal_arn, action_key) rely on it.
select principal_arn, action_key, count(*) as row_count
from {{ ref('soc2__ciem_entitlements') }}
group by principal_arn, action_key
having count(*) > 1
