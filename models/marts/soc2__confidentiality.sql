-- Control results of the confidentiality trust services category.
{{ soc2.trust_category_mart('confidentiality') }}
