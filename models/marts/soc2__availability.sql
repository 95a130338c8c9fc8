-- Control results of the availability trust services category.
{{ soc2.trust_category_mart('availability') }}
