//! `civic feedback …` (in [`reports`]): reports through this device's outbox.
//! `civic open311 services|requests`: what a GeoReport v2 endpoint (the city's feedback back
//! office) answers, for helpers checking an endpoint before residents rely on it; and
//! `civic place`: the commune picker a report's place is chosen with, offline.

pub mod reports;

use std::io::Write;

use civic_core::feedback::{Endpoint, Format, RequestQuery, StatusFilter};
use civic_types::feedback::{Service, ServiceRequest};

use crate::Failure;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the services (kinds of report) an endpoint takes.
    Services {
        #[command(flatten)]
        endpoint: EndpointArgs,
    },
    /// List reports and their status.
    Requests {
        #[command(flatten)]
        endpoint: EndpointArgs,
        /// Only these report ids (repeat for several).
        #[arg(long = "id", value_name = "ID")]
        ids: Vec<String>,
        /// Only reports of this service code.
        #[arg(long)]
        service: Option<String>,
        /// Only open or only closed reports.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Reports made from this moment (ISO 8601 with offset, e.g. 2026-12-01T00:00:00+07:00).
        #[arg(long)]
        since: Option<String>,
        /// Reports made up to this moment (ISO 8601 with offset).
        #[arg(long)]
        until: Option<String>,
    },
}

/// `civic place QUERY…`.
#[derive(Debug, clap::Args)]
pub struct PlaceArgs {
    /// A commune, ward or special zone as a resident types it, e.g. "p. ba dinh ha noi".
    #[arg(required = true)]
    query: Vec<String>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// One JSON object per line instead of text.
    #[arg(long)]
    json: bool,
}

/// Prints the places a query names, best first: code, then the full name.
pub fn place(args: PlaceArgs, out: &mut impl Write) -> Result<(), Failure> {
    let places = civic_core::feedback::Places::bundled().map_err(|e| e.to_string())?;
    let found = places.search(&args.query.join(" "), args.limit);
    if found.is_empty() && !args.json {
        writeln!(out, "Không tìm thấy xã, phường nào (no commune found).")?;
    }
    for place in found {
        if args.json {
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({
                    "code": place.code,
                    "name": place.name,
                    "kind": place.kind,
                    "province_code": place.province_code,
                    "province": place.province,
                }),
            )?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}  {}", place.code, place.full_name())?;
        }
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct EndpointArgs {
    /// The endpoint's base address, e.g. https://311.example.gov/open311/v2.
    #[arg(long)]
    endpoint: String,
    /// The format to ask for.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    format: FormatArg,
    /// `jurisdiction_id`, for endpoints that serve several cities.
    #[arg(long)]
    jurisdiction: Option<String>,
    /// One JSON object per line instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Json,
    Xml,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum StatusArg {
    Open,
    Closed,
}

pub fn run(command: Command, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Services { endpoint: args } => {
            let services = endpoint(&args)?.services()?;
            if args.json {
                return json_lines(out, &services);
            }
            if services.is_empty() {
                writeln!(out, "Không có dịch vụ nào (no services).")?;
            }
            for service in &services {
                service_line(out, service)?;
            }
        }
        Command::Requests {
            endpoint: args,
            ids,
            service,
            status,
            since,
            until,
        } => {
            let query = RequestQuery {
                ids,
                service_code: service,
                status: status.map(|s| match s {
                    StatusArg::Open => StatusFilter::Open,
                    StatusArg::Closed => StatusFilter::Closed,
                }),
                start_date: since,
                end_date: until,
                ..RequestQuery::default()
            };
            let requests = endpoint(&args)?.requests(&query)?;
            if args.json {
                return json_lines(out, &requests);
            }
            if requests.is_empty() {
                writeln!(out, "Không có phản ánh nào (no reports).")?;
            }
            for request in &requests {
                request_line(out, request)?;
            }
        }
    }
    Ok(())
}

fn endpoint(args: &EndpointArgs) -> Result<Endpoint, Failure> {
    let format = match args.format {
        FormatArg::Json => Format::Json,
        FormatArg::Xml => Format::Xml,
    };
    Ok(Endpoint::new(&args.endpoint, format)?.with_jurisdiction(args.jurisdiction.clone()))
}

fn json_lines<T: serde::Serialize>(out: &mut impl Write, items: &[T]) -> Result<(), Failure> {
    for item in items {
        serde_json::to_writer(&mut *out, item)?;
        writeln!(out)?;
    }
    Ok(())
}

/// `code  name  [group]`, then the description indented when there is one.
fn service_line(out: &mut impl Write, service: &Service) -> std::io::Result<()> {
    let group = service
        .group
        .as_deref()
        .map(|g| format!("  [{g}]"))
        .unwrap_or_default();
    writeln!(
        out,
        "{:<10} {}{group}",
        service.service_code, service.service_name
    )?;
    if let Some(description) = &service.description {
        writeln!(out, "           {description}")?;
    }
    Ok(())
}

/// `id  status  service  address  requested`, absent parts left out.
fn request_line(out: &mut impl Write, request: &ServiceRequest) -> std::io::Result<()> {
    let parts: Vec<&str> = [
        request.service_name.as_deref(),
        request.address.as_deref(),
        request.requested_datetime.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    writeln!(
        out,
        "{:<14} {:<10} {}",
        request.service_request_id,
        status_word(request.status),
        parts.join(" · ")
    )?;
    if let Some(notes) = &request.status_notes {
        writeln!(out, "{:<25} {notes}", "")?;
    }
    Ok(())
}

/// The status as a resident reads it (the endpoint's word in brackets).
fn status_word(status: civic_types::feedback::Status) -> String {
    use civic_types::feedback::Status;
    let vi = match status {
        Status::Open => "đang mở",
        Status::Investigating => "đang xác minh",
        Status::ActionScheduled => "đã lên lịch xử lý",
        Status::Fixed => "đã khắc phục",
        Status::Duplicate => "trùng lặp",
        Status::NotResponsible => "không thuộc thẩm quyền",
        Status::Closed => "đã đóng",
        Status::Unknown => "không rõ",
    };
    format!("{vi} ({})", status.as_str())
}
