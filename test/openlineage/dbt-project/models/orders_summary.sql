select count(*) as orders, sum(amount) as revenue from {{ ref('stg_orders') }}
