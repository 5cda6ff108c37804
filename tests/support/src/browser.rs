use std::collections::BTreeMap;

/// Where the browser ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// The provider sent the browser away from itself (to the app): the full address.
    Redirected(String),
    /// The provider showed a page it did not redirect from (an error page): status and body.
    Page(u16, String),
}

/// A person at a browser, as far as the provider's pages need one: cookies, redirects, and
/// the login and consent forms of `oidc-provider`'s interactions.
#[derive(Debug)]
pub struct Browser {
    agent: ureq::Agent,
    /// name -> (path, value); enough for one provider on one host.
    cookies: BTreeMap<String, (String, String)>,
    login: String,
    password: String,
}

impl Browser {
    pub fn new(login: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            agent,
            cookies: BTreeMap::new(),
            login: login.to_owned(),
            password: "any password".to_owned(),
        }
    }

    /// Opens `url` (the app's authorization URL) and goes through the provider's pages until
    /// it sends the browser to another origin.
    pub fn sign_in(&mut self, url: &str) -> Landing {
        let origin = url::Url::parse(url).expect("an absolute URL").origin();
        let mut next = Request::Get(url.to_owned());
        for _ in 0..20 {
            let (status, location, body) = self.send(&next);
            if let Some(location) = location {
                let target = url::Url::parse(next.url())
                    .and_then(|base| base.join(&location))
                    .expect("a usable Location");
                if target.origin() != origin {
                    return Landing::Redirected(target.to_string());
                }
                next = Request::Get(target.to_string());
                continue;
            }
            match self.fill_form(&body) {
                Some(form) if status == 200 => next = form,
                _ => return Landing::Page(status, body),
            }
        }
        panic!("the provider redirected more than 20 times");
    }

    /// Follows a redirect to the app (the loopback listener): a plain GET.
    pub fn visit(&mut self, url: &str) -> u16 {
        self.send(&Request::Get(url.to_owned())).0
    }

    fn send(&mut self, request: &Request) -> (u16, Option<String>, String) {
        let url = request.url();
        let path = url::Url::parse(url)
            .map(|u| u.path().to_owned())
            .unwrap_or_default();
        let cookie = self
            .cookies
            .iter()
            .filter(|(_, (scope, _))| path.starts_with(scope.as_str()))
            .map(|(name, (_, value))| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let result = match request {
            Request::Get(url) => {
                let mut get = self.agent.get(url);
                if !cookie.is_empty() {
                    get = get.header("Cookie", &cookie);
                }
                get.call()
            }
            Request::Post(url, fields) => {
                let mut post = self.agent.post(url);
                if !cookie.is_empty() {
                    post = post.header("Cookie", &cookie);
                }
                post.send_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            }
        };
        let mut response = result.unwrap_or_else(|e| panic!("{url}: {e}"));
        for header in response.headers().get_all("set-cookie") {
            let text = header.to_str().unwrap_or_default();
            let mut parts = text.split(';');
            let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let scope = parts
                .filter_map(|p| p.trim().strip_prefix("path="))
                .next()
                .unwrap_or("/")
                .to_owned();
            self.cookies
                .insert(name.trim().to_owned(), (scope, value.trim().to_owned()));
        }
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, location, body)
    }

    /// The page's first POST form, its hidden fields kept and the login filled in.
    fn fill_form(&self, page: &str) -> Option<Request> {
        let start = page.find("<form")?;
        let form = &page[start..start + page[start..].find("</form>")?];
        let action = attribute(form, "action")?;
        let mut fields = Vec::new();
        for input in form.split("<input").skip(1) {
            let Some(name) = attribute(input, "name") else {
                continue;
            };
            let value = match name.as_str() {
                "login" => self.login.clone(),
                "password" => self.password.clone(),
                _ => attribute(input, "value").unwrap_or_default(),
            };
            fields.push((name, value));
        }
        Some(Request::Post(action, fields))
    }
}

enum Request {
    Get(String),
    Post(String, Vec<(String, String)>),
}

impl Request {
    fn url(&self) -> &str {
        match self {
            Self::Get(url) | Self::Post(url, _) => url,
        }
    }
}

/// `name="value"` inside one tag (the provider's pages quote every attribute).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].replace("&amp;", "&"))
}
