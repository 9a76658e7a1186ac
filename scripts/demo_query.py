"""The demo's SQL over the DuckDB file ``conversation-clients VENDOR load`` wrote (``nox -s demo``).

One query over both vendors' tables: Bird's conversations by status with their messages, beside
Omnichannel's active conversations, printed as a table.

    python scripts/demo_query.py conversation_clients.duckdb
"""

from __future__ import annotations

import sys

import duckdb

QUERY = """
select 'bird' as vendor, c.status, count(distinct c.id) as conversations, count(m.id) as messages,
       max(m.created_at) as newest_message
from bird.conversations c left join bird.messages m on m.conversation_id = c.id
group by c.status
union all
select 'omnichannel', 'active', count(*), null, max(timestamp)::timestamptz
from omnichannel.active_conversations
order by vendor, conversations desc
"""


def main(path: str) -> None:
    with duckdb.connect(path, read_only=True) as connection:
        print(f"-- {path}:{QUERY}")
        connection.sql(QUERY).show(max_width=120)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "conversation_clients.duckdb")
