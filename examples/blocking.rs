//! Blocking: requests sent with ureq, and a list streamed from the response body through the
//! std reader adapter, in a 4 KiB buffer whatever the number of contacts.
//!
//! ```sh
//! cargo run -p smsc-codec-examples --example blocking -- http://127.0.0.1:8025   # `smsc serve`
//! SMSC_LOGIN=L SMSC_PSW=P cargo run -p smsc-codec-examples --example blocking -- https://smsc.ua
//! ```

use std::error::Error;

use smsc_codec::read::{IoReader, ReadError};
use smsc_codec::{decode, AddContact, Auth, Command, Endpoint, Fmt, GetContacts, Request, FORM_CONTENT_TYPE};

fn main() -> Result<(), Box<dyn Error>> {
    let base = std::env::args().nth(1).ok_or("usage: blocking URL (https://smsc.ua or http://127.0.0.1:PORT)")?;
    let (login, psw) = credentials();
    let auth = Auth::password(&login, &psw);
    let agent = ureq::Agent::new_with_defaults();

    // Two contacts. An API error is an answer like any other: a contact that exists already
    // is not a reason to stop.
    let added = [("79991112233", "Іван Петренко"), ("380501112233", "Олена")];
    for (phone, name) in added {
        let request = Request::new(auth, AddContact::phone(phone).name(name)).fmt(Fmt::Json);
        let body = send(&agent, &base, &request)?.body_mut().read_to_vec()?;
        match decode::created(&body, Fmt::Json) {
            Ok(created) => println!("added {name}: id {}", created.id),
            Err(smsc_codec::Error::Api(api)) => println!("{name} not added: {api}"),
            Err(smsc_codec::Error::Malformed(err)) => return Err(format!("unexpected answer to add: {err}").into()),
        }
    }

    // Every contact, streamed: a record is decoded as soon as its bytes are in, and borrows
    // the buffer until the next one.
    let request = Request::new(auth, GetContacts::new(Endpoint::Phones)).fmt(Fmt::Csv);
    let mut response = send(&agent, &base, &request)?;
    let mut buf = [0u8; 4096];
    let mut reader = IoReader::contacts(response.body_mut().as_reader(), &mut buf, Fmt::Csv, Endpoint::Phones);
    let mut found = 0;
    loop {
        match reader.next() {
            Ok(Some(contact)) => {
                let phone = contact.phone.map(|p| p.to_string()).unwrap_or_default();
                let name = contact.name.map(|n| n.to_string()).unwrap_or_default();
                println!("{phone:>15}  {name}");
                found += usize::from(added.iter().any(|(p, n)| phone.contains(p) && name == *n));
            }
            Ok(None) => break,
            // Error 3 is how the server answers an empty list.
            Err(err) if err.is_not_found() => break,
            Err(ReadError::Api(code)) => {
                let description = reader.api_error().and_then(|api| api.description).map(|d| d.to_string());
                return Err(format!("SMSC error {code}: {}", description.unwrap_or_default()).into());
            }
            // A transport failure or a malformed body: `ReadError` is a `'static` error.
            Err(err) => return Err(err.into()),
        }
    }
    if found != added.len() {
        return Err(format!("{found} of the {} contacts added were listed", added.len()).into());
    }
    println!("both contacts listed");
    Ok(())
}

/// Sends a request as GET, or as a POST form when the URL would pass the server's limit.
fn send<C: Command>(
    agent: &ureq::Agent,
    base: &str,
    request: &Request<'_, C>,
) -> Result<ureq::http::Response<ureq::Body>, Box<dyn Error>> {
    let query = request.to_query_string()?;
    let url = format!("{base}{}", request.path());
    let response = match request.prefers_post(base)? {
        true => agent.post(&url).header("Content-Type", FORM_CONTENT_TYPE).send(&query)?,
        false => agent.get(&format!("{url}?{query}")).call()?,
    };
    Ok(response)
}

/// `SMSC_LOGIN` and `SMSC_PSW`, or the simulator's.
fn credentials() -> (String, String) {
    let var = |name, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    (var("SMSC_LOGIN", "test"), var("SMSC_PSW", "test-password"))
}
