-- Control results of the security trust services category.
{{ soc2.trust_category_mart('security') }}
