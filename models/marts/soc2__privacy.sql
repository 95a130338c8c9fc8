-- Control results of the privacy trust services category.
{{ soc2.trust_category_mart('privacy') }}
