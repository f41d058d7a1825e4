//! What the API tests share: a server on a free loopback port.

#![allow(clippy::unwrap_used)]

use truce_store::testing::Scratch;

/// A server on its own runtime, stopped when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT/api/v1`.
    pub base: String,
    _runtime: tokio::runtime::Runtime,
}

/// Serves the ledger of `db` on a free loopback port.
pub fn start(db: &Scratch) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(truce_server::serve(
        listener,
        truce_server::Shared::open(&db.location).unwrap(),
    ));
    Server {
        base: format!("http://{addr}/api/v1"),
        _runtime: runtime,
    }
}
