//! The configuration of a built image: the stage that runs, plus what it
//! inherits when it is built `FROM` an earlier stage of the same file (Docker
//! copies CMD, ENTRYPOINT, ENV, WORKDIR, EXPOSE, USER and HEALTHCHECK from the
//! base image into the new one).

use seamcheck_facts::dockerfile::{
    BaseImage, CommandFact, CopyFact, ExposedPort, HealthcheckFact, Stage,
};
use seamcheck_facts::{DockerfileFacts, EnvVar, Located};

pub struct ImageView<'a> {
    /// The stage that runs first, then the stages it builds on.
    lineage: Vec<&'a Stage>,
}

impl<'a> ImageView<'a> {
    pub fn new(df: &'a DockerfileFacts, stage: &'a Stage) -> Self {
        let mut lineage = vec![stage];
        let mut current = stage;
        while current.from.value.is_stage {
            let parent = df
                .stage_named(&current.from.value.repository)
                .filter(|p| p.index < current.index);
            match parent {
                Some(p) => {
                    lineage.push(p);
                    current = p;
                }
                None => break,
            }
        }
        ImageView { lineage }
    }

    /// The stage that runs, then the stages it builds on.
    pub fn stages(&self) -> &[&'a Stage] {
        &self.lineage
    }

    pub fn stage(&self) -> &'a Stage {
        self.lineage[0]
    }

    /// The first stage's FROM, naming an image outside this file.
    pub fn external_base(&self) -> &'a Located<BaseImage> {
        &self.lineage[self.lineage.len() - 1].from
    }

    fn first<T>(&self, f: impl Fn(&'a Stage) -> Option<T>) -> Option<T> {
        self.lineage.iter().find_map(|s| f(s))
    }

    pub fn entrypoint(&self) -> Option<&'a CommandFact> {
        self.first(|s| s.entrypoint.as_ref())
    }

    /// CMD, inherited unless a stage sets ENTRYPOINT (which resets it).
    pub fn cmd(&self) -> Option<&'a CommandFact> {
        for s in &self.lineage {
            if s.cmd.is_some() {
                return s.cmd.as_ref();
            }
            if s.entrypoint.is_some() {
                return None;
            }
        }
        None
    }

    pub fn workdir(&self) -> Option<&'a Located<String>> {
        self.first(|s| s.workdir.as_ref())
    }

    pub fn healthcheck(&self) -> Option<&'a HealthcheckFact> {
        self.first(|s| s.healthcheck.as_ref())
    }

    pub fn expose(&self) -> Vec<&'a ExposedPort> {
        self.lineage.iter().flat_map(|s| s.expose.iter()).collect()
    }

    /// ENV in the order it is applied: base stage first.
    pub fn env(&self) -> Vec<&'a EnvVar> {
        self.lineage
            .iter()
            .rev()
            .flat_map(|s| s.env.iter())
            .collect()
    }

    /// COPY/ADD latest first: a later copy overwrites an earlier one.
    pub fn copies_latest_first(&self) -> Vec<&'a CopyFact> {
        self.lineage
            .iter()
            .flat_map(|s| s.copies.iter().rev())
            .collect()
    }
}
