//! Connections the fake service can cut on purpose.
//!
//! To test that a submit whose connection breaks after sending is not sent again, the fake must
//! be able to handle a request and then hang up without answering. A handler cannot close its
//! own connection, so the listener hands out streams with a shared switch: the handler flips it,
//! the next write fails, and the HTTP server drops the connection before any byte of the answer
//! leaves.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections can be cut from a handler.
pub(crate) struct CuttableListener {
    inner: TcpListener,
}

impl CuttableListener {
    pub(crate) fn new(inner: TcpListener) -> Self {
        Self { inner }
    }
}

impl Listener for CuttableListener {
    type Io = CuttableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, peer)) => {
                    let stream = CuttableStream {
                        inner: stream,
                        is_cut: Arc::new(AtomicBool::new(false)),
                    };
                    return (stream, peer);
                }
                Err(err) => {
                    // Running out of file handles and similar passing troubles: wait, go on.
                    tracing::debug!(%err, "the fake Naam service could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// The switch a handler uses to cut its connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionCutter {
    is_cut: Arc<AtomicBool>,
}

impl ConnectionCutter {
    /// Makes the connection fail on its next write, so no answer is sent.
    pub(crate) fn cut(&self) {
        self.is_cut.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, CuttableListener>> for ConnectionCutter {
    fn connect_info(stream: IncomingStream<'_, CuttableListener>) -> Self {
        Self {
            is_cut: Arc::clone(&stream.io().is_cut),
        }
    }
}

/// A TCP stream that fails every write once its switch is flipped.
pub(crate) struct CuttableStream {
    inner: TcpStream,
    is_cut: Arc<AtomicBool>,
}

impl CuttableStream {
    fn cut_error(&self) -> Option<io::Error> {
        self.is_cut.load(Ordering::SeqCst).then(|| {
            io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "the fake Naam service cut this connection on purpose",
            )
        })
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(err) = self.cut_error() {
            return Poll::Ready(Err(err));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(err) = self.cut_error() {
            return Poll::Ready(Err(err));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(err) = self.cut_error() {
            return Poll::Ready(Err(err));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
