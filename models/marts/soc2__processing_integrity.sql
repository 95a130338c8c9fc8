-- Control results of the processing integrity trust services category.
{{ soc2.trust_category_mart('processing_integrity') }}
