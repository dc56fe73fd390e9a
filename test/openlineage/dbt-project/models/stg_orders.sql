select id, email, amount from {{ source('raw', 'raw_orders') }}
