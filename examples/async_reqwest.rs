//! Async: reqwest on tokio. The response body, a stream of byte chunks, becomes a tokio
//! `AsyncRead` (tokio-util) and then an `embedded_io_async::Read` (embedded-io-adapters), which
//! the async reader adapter decodes group by group as the chunks arrive.
//!
//! ```sh
//! cargo run -p smsc-codec-examples --example async_reqwest -- http://127.0.0.1:8025   # `smsc serve`
//! ```

use std::error::Error;

use embedded_io_adapters::tokio_1::FromTokio;
use futures_util::TryStreamExt;
use smsc_codec::read::{AsyncReader, ReadError};
use smsc_codec::{decode, AddGroup, Auth, Command, Endpoint, Fmt, GetGroups, Request, FORM_CONTENT_TYPE};
use tokio_util::io::StreamReader;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let base = std::env::args().nth(1).ok_or("usage: async_reqwest URL (https://smsc.ua or http://127.0.0.1:PORT)")?;
    let (login, psw) = credentials();
    let auth = Auth::password(&login, &psw);
    let client = reqwest::Client::new();

    // A group to find afterwards; one that exists already is not an error here.
    let name = "Клієнти async";
    let response = send(&client, &base, &Request::new(auth, AddGroup::new(Endpoint::Phones, name))).await?;
    let body = response.bytes().await?;
    match decode::created(&body, Fmt::Json) {
        Ok(created) => println!("added group {name}: id {}", created.id),
        Err(smsc_codec::Error::Api(api)) => println!("group {name} not added: {api}"),
        Err(smsc_codec::Error::Malformed(err)) => return Err(format!("unexpected answer to add_group: {err}").into()),
    }

    // The groups, in XML, decoded while the body streams in.
    let request = Request::new(auth, GetGroups::new(Endpoint::Phones)).fmt(Fmt::Xml);
    let response = send(&client, &base, &request).await?;
    let chunks = Box::pin(response.bytes_stream().map_err(std::io::Error::other));
    let body = FromTokio::new(StreamReader::new(chunks));
    let mut buf = [0u8; 2048];
    let mut reader = AsyncReader::groups(body, &mut buf, Fmt::Xml, Endpoint::Phones);
    let mut seen = false;
    loop {
        match reader.next().await {
            Ok(Some(group)) => {
                let (id, group_name) = (group.id.map(|t| t.to_string()), group.name.map(|t| t.to_string()));
                println!("group {}: {}", id.unwrap_or_default(), group_name.as_deref().unwrap_or_default());
                // The simulator capitalises names as the real server does.
                seen |= group_name.is_some_and(|n| n.to_lowercase() == name.to_lowercase());
            }
            Ok(None) => break,
            Err(err) if err.is_not_found() => break,
            Err(ReadError::Api(code)) => return Err(format!("SMSC error {code}").into()),
            Err(err) => return Err(err.into()),
        }
    }
    if !seen {
        return Err(format!("group {name} was not listed").into());
    }
    Ok(())
}

/// Sends a request as GET, or as a POST form when the URL would pass the server's limit.
async fn send<C: Command>(
    client: &reqwest::Client,
    base: &str,
    request: &Request<'_, C>,
) -> Result<reqwest::Response, Box<dyn Error>> {
    let query = request.to_query_string()?;
    let url = format!("{base}{}", request.path());
    let request = match request.prefers_post(base)? {
        true => client.post(url).header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE).body(query),
        false => client.get(format!("{url}?{query}")),
    };
    Ok(request.send().await?.error_for_status()?)
}

/// `SMSC_LOGIN` and `SMSC_PSW`, or the simulator's.
fn credentials() -> (String, String) {
    let var = |name, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    (var("SMSC_LOGIN", "test"), var("SMSC_PSW", "test-password"))
}
