//! `truce serve` over TLS: a client that trusts the server's certificate
//! gets the API; one that speaks plain HTTP gets nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use truce_store::testing::scratch_ledgers;

#[test]
fn the_api_is_served_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let db = scratch_ledgers(dir.path(), "tls").unwrap().remove(0);
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_pem, key_pem) = (cert.cert.pem(), cert.key_pair.serialize_pem());
    let config = truce_server::tls::server_config(cert_pem.as_bytes(), key_pem.as_bytes()).unwrap();
    // Files that are not PEM are refused with a reason.
    assert!(truce_server::tls::server_config(b"nope", key_pem.as_bytes()).is_err());
    assert!(truce_server::tls::server_config(cert_pem.as_bytes(), b"nope").is_err());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = truce_server::Shared::open(&db.location).unwrap();
        tokio::spawn(truce_server::tls::serve_tls(listener, config, shared));
        let mut roots = RootCertStore::empty();
        roots
            .add(CertificateDer::from(cert.cert.der().to_vec()))
            .unwrap();
        let client = ClientConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut tls = connector
            .connect(ServerName::try_from("localhost").unwrap(), tcp)
            .await
            .unwrap();
        tls.write_all(
            b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let mut answer = String::new();
        tls.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains(r#"{"status":"ok"}"#), "{answer}");
        // Plain HTTP on the TLS port gets no answer, and the server goes on.
        let mut plain = tokio::net::TcpStream::connect(addr).await.unwrap();
        plain
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut buf = Vec::new();
        let _ = plain.read_to_end(&mut buf).await;
        assert!(!String::from_utf8_lossy(&buf).contains("200"));
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        assert!(connector
            .connect(ServerName::try_from("localhost").unwrap(), tcp)
            .await
            .is_ok());
    });
}
