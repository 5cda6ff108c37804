//! `civic feedback new|list|show|send|similar`: residents' reports through the outbox on
//! this device, for community helpers filing on a resident's behalf. Reports are written
//! (with photos) before any network call and sent when the network allows.

use std::io::Write;
use std::path::{Path, PathBuf};

use civic_core::auth::Vault;
use civic_types::feedback::{ReportDraft, ReportPlace, ReportState, ReportSummary, Status};

use crate::Failure;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write a report (with photos) and queue it to be sent.
    New(NewArgs),
    /// The kinds of report the city takes, and a kind's questions (kept offline since the
    /// last sync).
    Services {
        /// Show this kind's questions.
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The reports on this device: drafts, waiting, sent, and their status.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One report: answers, photos, the agency's timeline.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Send what is waiting and fetch the agency's answers now.
    Send {
        /// The gateway, e.g. http://127.0.0.1:8080 (default: $CIVIC_GATEWAY_URL, else the
        /// gateway of the last sync).
        #[arg(long)]
        gateway: Option<String>,
    },
    /// Open reports of the same kind within 50 m, before filing a duplicate.
    Similar {
        #[arg(long)]
        service: String,
        /// LAT,LON in decimal degrees.
        #[arg(long, value_parser = crate::args::point)]
        at: (f64, f64),
        #[arg(long)]
        gateway: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The kind of report (a service code, see `civic open311 services`).
    #[arg(long)]
    service: String,
    /// The kind's name, shown offline (default: the code).
    #[arg(long)]
    service_name: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// Where: LAT,LON in decimal degrees.
    #[arg(long, value_parser = crate::args::point)]
    at: Option<(f64, f64)>,
    /// Where, as an address.
    #[arg(long)]
    address: Option<String>,
    /// The commune, as typed (the best match of the offline picker is used).
    #[arg(long)]
    commune: Option<String>,
    /// An answer to the service's question: CODE=VALUE (repeat; twice for several values).
    #[arg(long = "answer", value_name = "CODE=VALUE", value_parser = answer)]
    answers: Vec<(String, String)>,
    /// A photo (JPEG or PNG; repeat, up to four).
    #[arg(long = "photo", value_name = "FILE")]
    photos: Vec<PathBuf>,
    /// Take the place from the first photo's GPS tags (the resident agreed).
    #[arg(long)]
    photo_place: bool,
    /// File without the signed-in account.
    #[arg(long)]
    anonymous: bool,
    /// Keep it as a draft; do not queue it.
    #[arg(long)]
    draft: bool,
}

fn answer(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(c, v)| (c.trim().to_owned(), v.trim().to_owned()))
        .filter(|(c, _)| !c.is_empty())
        .ok_or_else(|| "expected CODE=VALUE".to_owned())
}

pub fn run(command: Command, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::New(args) => new(args, data_dir, out),
        Command::Services { service, json } => services(service, json, data_dir, out),
        Command::List { json } => {
            let civic = crate::open(data_dir, None)?;
            let reports = civic
                .feedback()
                .outbox()
                .reports(civic_core::time::now_unix())?;
            if json {
                for report in &reports {
                    serde_json::to_writer(&mut *out, report)?;
                    writeln!(out)?;
                }
                return Ok(());
            }
            if reports.is_empty() {
                writeln!(out, "Chưa có phản ánh nào trên máy này (no reports).")?;
            }
            for report in &reports {
                writeln!(out, "{}", line(report, &civic))?;
            }
            Ok(())
        }
        Command::Show { id, json } => {
            let civic = crate::open(data_dir, None)?;
            let detail = civic.feedback().open_report(id)?.detail;
            if json {
                serde_json::to_writer(&mut *out, &detail)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(out, "{}", line(&detail.summary, &civic))?;
            if let Some(description) = &detail.summary.description {
                writeln!(out, "  {description}")?;
            }
            for (code, value) in &detail.attributes {
                writeln!(out, "  {code}: {value}")?;
            }
            for error in &detail.summary.refusal {
                writeln!(out, "  ✗ {} {}", error.code, error.description)?;
            }
            for update in &detail.timeline {
                writeln!(
                    out,
                    "  {} · {} · {}",
                    update.updated_datetime.as_deref().unwrap_or("?"),
                    status_text(update.status),
                    update.description.as_deref().unwrap_or("")
                )?;
            }
            Ok(())
        }
        Command::Send { gateway } => {
            let civic = crate::open(data_dir, gateway.as_deref())?;
            civic
                .feedback()
                .set_account(civic.report_account(Vault::app()));
            let Some(result) = civic.feedback().send_now() else {
                return Err(no_target());
            };
            let (round, changed) = result?;
            writeln!(
                out,
                "Đã gửi {} · còn chờ {} · cần sửa {} · {} phản ánh có trạng thái mới (sent {}, waiting {}, to fix {}, {} with a new status)",
                round.sent,
                round.waiting,
                round.refused,
                changed.len(),
                round.sent,
                round.waiting,
                round.refused,
                changed.len()
            )?;
            Ok(())
        }
        Command::Similar {
            service,
            at: (lat, lon),
            gateway,
        } => {
            let civic = crate::open(data_dir, gateway.as_deref())?;
            if civic.feedback().current_target().is_none() {
                return Err(no_target());
            }
            let similar = civic.feedback().similar(&service, lat, lon)?;
            if similar.is_empty() {
                writeln!(
                    out,
                    "Không có phản ánh tương tự trong vòng 50 m (none within 50 m)."
                )?;
            }
            for found in similar {
                let request = found.request;
                let away = found
                    .distance_m
                    .map(|d| format!("{d:.0} m"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "#{}  {away}  {}  {}  {}",
                    request.service_request_id,
                    status_text(request.status),
                    request.requested_datetime.as_deref().unwrap_or(""),
                    request.description.as_deref().unwrap_or("")
                )?;
            }
            Ok(())
        }
    }
}

fn services(
    service: Option<String>,
    json: bool,
    data_dir: &Path,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let civic = crate::open(data_dir, None)?;
    let outbox = civic.feedback().outbox();
    if let Some(code) = service {
        let form = outbox.service_definition(&code)?.ok_or_else(|| {
            format!("loại phản ánh “{code}” không có câu hỏi nào trên máy này (no form kept for {code}; sync first)")
        })?;
        if json {
            serde_json::to_writer(&mut *out, &form)?;
            writeln!(out)?;
            return Ok(());
        }
        for question in form.questions() {
            let required = if question.required {
                " (bắt buộc)"
            } else {
                ""
            };
            writeln!(out, "{}: {}{required}", question.code, question.description)?;
            for choice in &question.values {
                writeln!(out, "    {} = {}", choice.key, choice.name)?;
            }
        }
        return Ok(());
    }
    let services = outbox.services()?;
    if services.is_empty() && !json {
        writeln!(
            out,
            "Chưa có danh sách loại phản ánh; hãy đồng bộ trước (none kept yet: run `civic sync`)."
        )?;
    }
    for service in services {
        if json {
            serde_json::to_writer(&mut *out, &service)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}  {}", service.service_code, service.service_name)?;
        }
    }
    Ok(())
}

fn no_target() -> Failure {
    "thành phố chưa nhận phản ánh qua ứng dụng, hoặc chưa có cổng dữ liệu (no gateway, or the city takes no reports): run `civic sync --gateway URL` first".into()
}

fn new(args: NewArgs, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    let civic = crate::open(data_dir, None)?;
    let mut place = ReportPlace {
        lat: args.at.map(|(lat, _)| lat),
        lon: args.at.map(|(_, lon)| lon),
        address: args.address.clone(),
        address_id: None,
    };
    if let Some(typed) = &args.commune {
        let best = civic
            .feedback()
            .communes(typed, 1)
            .into_iter()
            .next()
            .ok_or_else(|| format!("không tìm thấy xã, phường “{typed}” (no such commune)"))?;
        place.address_id = Some(best.code);
        if place.address.is_none() {
            place.address = Some(best.name);
        }
    }
    let kept_name = civic
        .feedback()
        .outbox()
        .services()?
        .into_iter()
        .find(|s| s.service_code == args.service)
        .map(|s| s.service_name);
    let draft = ReportDraft {
        service_name: args
            .service_name
            .clone()
            .or(kept_name)
            .unwrap_or_else(|| args.service.clone()),
        service_code: args.service,
        description: args.description,
        place,
        attributes: args.answers,
    };
    let saved =
        civic
            .feedback()
            .new_draft(&draft, civic.report_account(Vault::app()), args.anonymous)?;
    let id = saved.id;
    let outbox = civic.feedback().outbox();
    for (i, path) in args.photos.iter().enumerate() {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        // With consent, the first photo's place becomes the report's if it has none.
        outbox.attach_photo(id, &bytes, args.photo_place && i == 0)?;
    }
    if !args.draft
        && let Err(error) = civic.feedback().queue(id)
    {
        // Nothing is lost: the report stays a draft to complete.
        writeln!(
            out,
            "Phản ánh #{id} được giữ lại làm bản nháp (kept as draft {id})."
        )?;
        return Err(error.into());
    }
    let who = if saved.under_account {
        "gắn với tài khoản định danh (signed in)"
    } else {
        "ẩn danh (anonymous)"
    };
    let state = if args.draft {
        "bản nháp (draft)"
    } else {
        "đang chờ gửi (waiting to send)"
    };
    writeln!(out, "Phản ánh #{id}: {state}, {who}.")?;
    Ok(())
}

/// A status in the app's own words (`feedback.ftl`).
fn status_text(status: Status) -> String {
    crate::i18n::text(status.message_id(), &[])
}

fn line(report: &ReportSummary, civic: &civic_core::Civic) -> String {
    let zone = civic.city().time_zone();
    let when = |unix: i64| civic_core::time::date_in(unix, &zone);
    let text = crate::i18n::text;
    let mut state = text(
        report.state_message_id(),
        &[
            ("time", report.last_attempt_at.map(when).unwrap_or_default()),
            (
                "number",
                report.service_request_id.clone().unwrap_or_default(),
            ),
            ("status", status_text(report.status.unwrap_or_default())),
        ],
    );
    if report.state == ReportState::Sent {
        if let Some(due) = report.due_at {
            state.push_str(" · ");
            state.push_str(&text("feedback-due", &[("time", when(due))]));
        }
        if report.overdue {
            state.push_str(" · ");
            state.push_str(&text("feedback-overdue", &[]));
        }
        if report.status_changed {
            state.push_str(" · ");
            state.push_str(&text("feedback-status-new", &[]));
        }
    }
    format!(
        "{:>4}  {}  {}  [{}]",
        report.id,
        when(report.created_at),
        report.service_name,
        state
    )
}
