"""The loopback server under the load the clients put on it: many connections at once."""

from __future__ import annotations

import threading

import httpx

from conversation_clients.loopback import serve

CLIENTS = 40


def test_many_clients_connecting_at_once_are_all_served_together() -> None:
    # Every handler waits until all the requests have arrived. socketserver's default listen
    # backlog (5) dropped the connection attempts beyond it, and clients retry a dropped
    # attempt only after a second: the barrier would then break before they got through.
    everyone = threading.Barrier(CLIENTS, timeout=0.9)

    def handler(request: httpx.Request) -> httpx.Response:
        everyone.wait()
        return httpx.Response(200, text="ok")

    answers: list[int] = []
    lock = threading.Lock()

    def client(http: httpx.Client) -> None:
        response = http.get("/")
        with lock:
            answers.append(response.status_code)

    with serve(handler) as base_url, httpx.Client(base_url=base_url, timeout=5) as http:
        threads = [threading.Thread(target=client, args=(http,)) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert answers == [200] * CLIENTS
