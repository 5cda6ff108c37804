//! `civic qr …` as a community helper uses it: make a key, publish it in the city profile on a
//! real gateway, print a board, render it with poppler, and read it back.
#![allow(clippy::expect_used)]

mod common;

use std::process::{Command, Output};

use common::{civic, stdout};

fn stderr(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_board_printed_by_a_helper_reads_back_verified() {
    let app = tempfile::tempdir().expect("tempdir");
    let dir = app.path().to_owned();
    let out = app.path().join("board.pdf");

    // The helper makes a key; the operator pastes the printed entry into the profile.
    let keygen = civic(
        &dir,
        &[
            "qr",
            "keygen",
            "--issuer-vi",
            "UBND tỉnh Ninh Bình",
            "--issuer-en",
            "Ninh Binh PPC",
        ],
    );
    let entry = stdout(&keygen);
    assert!(entry.contains("[[qr.signing_keys]]"), "{entry}");
    assert!(!entry.contains("PRIVATE"), "only the public key is printed");
    assert!(
        stderr(&civic(
            &dir,
            &["qr", "keygen", "--issuer-vi", "x", "--issuer-en", "y"]
        ))
        .contains("never overwritten")
    );

    let profile = civic_test_gateway::city_profile("ninh-binh") + "\n" + &entry;
    // The gateway checks the printed entry as it checks any operator's file.
    let gateway = civic_test_gateway::serve(
        civic_test_gateway::bundled(usize::MAX),
        "2026-11-20",
        &profile,
    )
    .await;
    let url = gateway.url.clone();

    tokio::task::spawn_blocking(move || {
        let board = civic(
            &dir,
            &[
                "qr",
                "board",
                "--title",
                "UBND xã Xuân Hồng",
                "--codes",
                "1.001193,1.000656",
                "--date",
                "2026-11-23",
                "--out",
                out.to_str().expect("utf-8"),
            ],
        );
        assert!(stdout(&board).contains("2 thủ tục, mã có chữ ký số"));

        let png = dir.join("board.png");
        let status = Command::new("pdftoppm")
            .args(["-r", "150", "-png", "-singlefile"])
            .arg(&out)
            .arg(dir.join("board"))
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(status.success());

        // Before the city's profile is known the signature cannot be checked.
        let before = lines(&stdout(&civic(
            &dir,
            &["qr", "decode", png.to_str().expect("utf-8")],
        )));
        let codes = before[0]["codes"].as_array().expect("codes");
        assert_eq!(codes.len(), 2);
        assert!(codes.iter().all(|c| c["kind"] == "signed"
            && c["verified"] == false
            && c["signature"] == "unknown-key"));

        stdout(&civic(&dir, &["sync", "--gateway", &url]));
        let after = lines(&stdout(&civic(
            &dir,
            &["qr", "decode", png.to_str().expect("utf-8")],
        )));
        assert_eq!(after[0]["file"], png.to_str().expect("utf-8"));
        let mut procedures: Vec<&str> = after[0]["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .inspect(|c| {
                assert_eq!(c["verified"], true, "{c}");
                assert_eq!(c["signed_by"]["office"], "UBND xã Xuân Hồng");
                assert_eq!(c["signed_by"]["issuer"]["vi"], "UBND tỉnh Ninh Bình");
            })
            .map(|c| c["procedure"].as_str().expect("procedure"))
            .collect();
        procedures.sort_unstable();
        assert_eq!(procedures, ["1.000656", "1.001193"]);

        let svg = dir.join("board.svg");
        stdout(&civic(
            &dir,
            &[
                "qr",
                "board",
                "--title",
                "UBND xã Xuân Hồng",
                "--codes",
                "1.001193",
                "--out",
                svg.to_str().expect("utf-8"),
            ],
        ));
        assert!(
            std::fs::read_to_string(&svg)
                .expect("svg")
                .starts_with("<svg")
        );
    })
    .await
    .expect("join");
}

#[test]
fn decode_reports_each_file_and_fails_clearly() {
    let app = tempfile::tempdir().expect("tempdir");
    let photo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/qr/zxing-qrcode-1/1.png"
    );
    let junk = app.path().join("junk.png");
    std::fs::write(&junk, b"not an image").expect("write");
    let out = civic(
        app.path(),
        &[
            "qr",
            "decode",
            photo,
            junk.to_str().expect("utf-8"),
            "missing.png",
        ],
    );
    let text = String::from_utf8(out.stdout.clone()).expect("utf-8");
    let results = lines(&text);
    assert_eq!(results.len(), 3, "one line per file, failures included");
    assert_eq!(
        results[0]["codes"][0]["text"],
        "MEBKM:URL:http\\://en.wikipedia.org/wiki/Main_Page;;"
    );
    assert_eq!(
        results[0]["codes"][0]["kind"], "unsafe",
        "a bookmark to a non-government site"
    );
    assert_eq!(results[0]["codes"][0]["host"], "en.wikipedia.org");
    assert!(
        results[1]["error"]
            .as_str()
            .expect("error")
            .contains("not a PNG or JPEG")
    );
    assert!(results[2]["error"].is_string());
    assert!(stderr(&out).contains("2 of the files could not be read"));
}

#[test]
fn board_requests_fail_with_reasons() {
    let app = tempfile::tempdir().expect("tempdir");
    let dir = app.path();
    let out = dir.join("b.pdf");
    let out = out.to_str().expect("utf-8");
    // (extra arguments after `--title UBND`, what stderr must say)
    let refused: [(&[&str], &str); 4] = [
        (&["--codes", "1.001193", "--out", out], "civic qr keygen"),
        (
            &["--codes", "9.999999", "--unsigned", "--out", out],
            "not in the catalog",
        ),
        (
            &["--codes", "1.001193", "--unsigned", "--out", "b.docx"],
            ".pdf or .svg",
        ),
        (
            &[
                "--codes",
                "1.001193",
                "--unsigned",
                "--date",
                "23/11/2026",
                "--out",
                out,
            ],
            "ISO date",
        ),
    ];
    for (args, reason) in refused {
        let mut command = vec!["qr", "board", "--title", "UBND"];
        command.extend_from_slice(args);
        let error = stderr(&civic(dir, &command));
        assert!(error.contains(reason), "{args:?}: {error}");
    }
    assert!(
        stdout(&civic(
            dir,
            &[
                "qr",
                "board",
                "--title",
                "UBND",
                "--codes",
                "1.001193",
                "--unsigned",
                "--out",
                out
            ]
        ))
        .contains("không có chữ ký")
    );
    // The board is there now: a second one never overwrites it.
    let first = std::fs::read(dir.join("b.pdf")).expect("the board");
    let again = civic(
        dir,
        &[
            "qr",
            "board",
            "--title",
            "UBND khác",
            "--codes",
            "1.001193",
            "--unsigned",
            "--out",
            out,
        ],
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(dir.join("b.pdf")).expect("the board"), first);
}
