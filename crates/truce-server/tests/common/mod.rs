//! What the server's tests and benchmarks share: a server on a free
//! loopback port.

#![allow(clippy::unwrap_used)]

use truce_store::testing::Scratch;

/// A server on its own runtime, stopped when dropped. (Each test binary
/// that includes this module uses some of the fields.)
#[allow(dead_code)]
pub struct Server {
    /// `http://127.0.0.1:PORT/api/v1`.
    pub base: String,
    /// `http://127.0.0.1:PORT`, where the pages are.
    pub root: String,
    /// The runtime serving it (a test may run its own client on it).
    pub runtime: tokio::runtime::Runtime,
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
        root: format!("http://{addr}"),
        runtime,
    }
}
