# ruff: noqa: E501  (quoted clauses are kept on one line each, with their source comment above)
"""Ambiguous technology names, decided by the real matcher on the real ``terms.yaml``.

Why real sentences: a context rule is only as good as the text it was tuned on. Each case below is a
short clause quoted from a posting in ``../shared/data`` (the comment names the file: ``hn2013`` is
``hn_whoishiring_2013_2018``, ``hn2026`` is ``hn_whoishiring_2026``, the LinkedIn/Indeed files are
``linkedin_indeed_ca_2018/*``, the rest ``tech_postings_small/*``). Where the data holds no example of
one polarity, the clause is written by hand and marked ``# written``. When a case fails, fix the data
(aliases, cues, reject rules) in terms.yaml, not the case.

The tests need no data files (the clauses are inline), so they always run.
"""

from __future__ import annotations

from functools import cache

import pytest

from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.loader import load_taxonomy

# (term id, clause, expected) -- expected True: the term is found; False: it is not.
Case = tuple[str, str, bool]

# fmt: off
CASES: list[Case] = [
    # ------------------------------------------------------------------ R
    # linkedin_data_analyst
    ("r", "You are accomplished in the use of statistical analysis environments such as R, MATLAB, SPSS and SAS", True),
    # glassdoor_ds_uncleaned
    ("r", "Experience using statistical computer languages (R, Python, SQL, etc.) to manipulate data", True),
    # indeed_cal_ds_500
    ("r", "SQL, R, Python and Tableau", True),
    # linkedin_data_scientist
    ("r", "Proficient in one of the analytical tools such as Python or R.Strong communication and presentation skills.", True),
    # linkedin_israel_swe_2024
    ("r", "Work closely with analysts, product and the R&D teams to deliver the best solution to the business", False),
    # indeed_cal_da_500
    ("r", "With revenues of $22 billion and the largest investment in R&D in the industry", False),
    # hn2013
    ("r", "We count H&R Block, Lyft, Instacart as early customers.", False),
    # glassdoor_ds_kenjee_2020
    ("r", "the U.S. parent company of R. J. Reynolds Tobacco Company", False),
    # written: the HTML-escaped spelling some feeds keep
    ("r", "Join our R &amp; D group in Haifa", False),
    # ------------------------------------------------------------------ Go
    # hn2013
    ("go", "Infra Engineer (Go, Docker, Python etc):", True),
    # hn2013
    ("go", "Stack: Node, Objective-C, Go, Mongo, Postgres, AWS", True),
    # linkedin_israel_swe_2024
    ("go", "years of experience coding in an industry-standard language such as Scala, Java, Python, Go etc", True),
    # hn2013
    ("go", "We are heavy users of Go on the back-end, alongside some Ruby services", True),
    # hn2013
    ("go", "Want to try out product management or think you’re a designer at heart? Go for it", False),
    # dice_us_sample_658
    ("go", "They never compromise on their promise to Go Beyond", False),
    # glassdoor_ds_kenjee_2020
    ("go", "you will help define our rapid Go-To-Market expansion with insight and recommendations", False),
    # linkedin_data_scientist
    ("go", "Annual CalTrain Go Pass", False),
    # hn2013
    ("go", "We launched our own startups such as our Amazon Go like platform,", False),
    # ------------------------------------------------------------------ C
    # hn2013
    ("c", "Core developers (C/C++/Python) to extend our protocol stacks", True),
    # hn2013
    ("c", 'and "small embedded" (C, bare-metal, small cpus)', True),
    # linkedin_israel_swe_2024
    ("c", "SW architectural design, C & C++ code development in an Embedded environment", True),
    # linkedin_israel_swe_2024
    ("c", "The company completed a Series C funding round, raising $70 million", False),
    # linkedin_data_scientist
    ("c", "comfortable dealing directly with C-level executives", False),
    # hn2026
    ("c", "Everyone starting from the C-suite is passionate about addressing climate change", False),
    # hn2013
    ("c", "Excella | Arlington, VA & Washington, D.C. | Full-time, ONSITE", False),
    # hn2013: "C" inside C++ / C# / Objective-C is never c
    ("c", "iOS (Objective-C, Swift), backend in C# and C++", False),
    # ------------------------------------------------------------------ Spark
    # hn2013
    ("apache-spark", "- Python, ML, Spark or Hadoop, Cassandra or similar, Algorithms", True),
    # indeed_cal_da_500
    ("apache-spark", "Experience with Hadoop based technologies, such as Hive, Spark is a nice to have", True),
    # glassdoor_ds_uncleaned
    ("apache-spark", "Experience with Spark considered a plus", True),
    # hn2026
    ("apache-spark", "backed by investors including BOND, IVP, Spark Capital, Greylock and Conviction", False),
    # hn2013
    ("apache-spark", "Today, we’re an established company, but we still have that start-up spark.", False),
    # written: the verb
    ("apache-spark", "Great ideas can spark joy and innovation across the whole team", False),
    # ------------------------------------------------------------------ Excel
    # linkedin_data_scientist
    ("excel", "At least 3 years of experience in professional quantitative analysis using Microsoft Excel", True),
    # indeed_cal_da_500
    ("excel", "Highly proficient in all MS Office Suite (Word, Excel, PowerPoint, Access)", True),
    # linkedin_data_analyst
    ("excel", "using SQL and Excel, handling large and complex datasets", True),
    # linkedin_israel_swe_2024
    ("excel", "We excel at Bottomline because we are positive and passionate", False),
    # indeed_cal_da_500
    ("excel", "if you love collaboration, excel at end-to-end analysis, and have the business acumen", False),
    # indeed_cal_ds_500
    ("excel", "and mentor their colleagues in areas where they themselves excel", False),
    # ------------------------------------------------------------------ Swift
    # hn2013
    ("swift", "Stack: Golang, JS, React, Swift, Objective-C, AWS", True),
    # hn2013
    ("swift", "For iOS we're using Swift and EarlGrey with builds and tests on Buddybuild", True),
    # hn2013
    ("swift", "Expert knowledge of Swift", True),
    # hn2013
    ("swift", "we've worked with a diverse talent including Taylor Swift, Trevor Noah, Seth Godin", False),
    # hn2013
    ("swift", "Swift Navigation is looking for embedded electrical and estimation algorithms engineers", False),
    # written: the adjective (lower case never matches; capitalised at a sentence start)
    ("swift", "Swift decisions matter here. We value a swift response to customers", False),
    # ------------------------------------------------------------------ Rust
    # linkedin_israel_swe_2024
    ("rust", "Expertise in multiple languages - Rust, JS/TS, Java, Go", True),
    # hn2013
    ("rust", "We write mostly in Rust, Go and Python", True),
    # hn2026
    ("rust", "Beneficial experience includes PostgreSQL, Python, Rust, Linux, TypeScript, Nix", True),
    # written: the region
    ("rust", "We are a manufacturing company headquartered in the Rust Belt", False),
    # written: the noun
    ("rust", "Experience with rust prevention coatings for steel structures", False),
    # written: the colour
    ("rust", "Our new logo comes in Rust colour and navy", False),
    # ------------------------------------------------------------------ Julia
    # hn2013
    ("julia", "* Python and Julia for data analytics", True),
    # indeed_cal_ds_500
    ("julia", "merge your own data in a procedural language like Python, Julia, or R", True),
    # hn2013
    ("julia", "If you love playing with R, Python, Spark, Julia, JavaScript, D3, and more", True),
    # hn2013
    ("julia", "or feel free to shoot me a line at Julia@EnchantedLabs.com.", False),
    # written: a person
    ("julia", "Contact Julia Martinez, our recruiter, with any questions", False),
    # written: a person
    ("julia", "Julia's team runs the quarterly planning and budget reviews", False),
    # ------------------------------------------------------------------ Ruby
    # hn2013
    ("ruby", "We use lots of Ruby, Python and JavaScript", True),
    # hn2013
    ("ruby", "Proficient with Ruby, Rails + JS & front-end technologies", True),
    # hn2013: "Ruby on Rails" yields both ruby and rails
    # "Ruby on Rails" names the framework: rails, not ruby (docs/annotation.md: the narrower term)
    ("ruby", "We’re looking for a hands on developer with a Ruby on Rails background", False),
    ("rails", "We’re looking for a hands on developer with a Ruby on Rails background", True),
    ("rails", "We use ruby, rails, javascript, postgres, aws, docker.", True),
    ("ruby", "It is built primarily of Ruby, Rails, React & Redux", True),
    ("rails", "We build guard rails for the model's outputs", False),
    ("rails", "Rails experience a plus, but not a requirement.", True),
    ("rails", "the project went off the rails last year", False),
    ("rails", "install safety rails on every platform", False),
    ("ms-word", "Advanced proficiency in Microsoft Excel and Word.", True),
    ("ms-word", "Microsoft Office Suite of tools (Outlook, Word, Excel, etc.)", True),
    ("ms-word", "Working knowledge of MS Access, Excel, and Word software.", True),
    ("ms-word", "Most of our customers find us by Word of mouth", False),
    ("ms-word", "Word count limits apply to the cover letter", False),
    ("ms-word", "The final Word on pricing belongs to the customer", False),
    ("ms-access", "Knowledge in SQL, MS Access and Excel", True),
    ("ms-access", "designing complex queries and reports using Access, SQL, Crystal, and Cognos", True),
    ("ms-access", "Microsoft Office products particularly Excel and Access.", True),
    ("ms-access", "* Access to cutting-edge tools and technologies", False),
    ("ms-access", "Identity and Access Management (IAM) on Okta", False),
    ("ms-access", "Access Control lists on the network edge", False),
    ("gcp", "Stack: Python, Node.js, Next.js, React, GCP, CI/CD, IaC, microservices", True),
    ("gcp", "deploying models to cloud services like AWS, Azure, GCP", True),
    ("gcp", "Tech Stack: Python, TypeScript, Postgres, Kubernetes, GCP", True),
    ("gcp", "ensure compliance with GCP guidelines and CAP accreditation", False),
    ("gcp", "Working knowledge of clinical research, FDA & ICH, GCP, GCDMP", False),
    ("gcp", "trained in GCP and GLP for clinical trials", False),
    # written: a person
    ("ruby", "Please send your resume to Ruby Chen in our people team", False),
    # written: a restaurant chain
    ("ruby", "Previously a store manager at Ruby Tuesday for five years", False),
    # written: the gem
    ("ruby", "Our jewellery line features Ruby Red pendants", False),
    # ------------------------------------------------------------------ Chef
    # hn2013
    ("chef", "Tech: vSphere, OpenStack, Linux, Chef, Go, Ruby RSpec, Docker", True),
    # hn2013
    ("chef", "manage our AWS deployments using Chef / Opsworks", True),
    # hn2013
    ("chef", "- Config Management: Primary: Puppet; Optional: Chef, Ansible, Salt", True),
    # hn2013
    ("chef", "Miso Salmon, or Butternut Squash Ravioli - and be one of our Master Chef judges every day", False),
    # written: a kitchen job
    ("chef", "Our cafe is hiring an Executive Chef to lead the kitchen team", False),
    # written: a kitchen job
    ("chef", "The in-house Chef prepares lunch for the office every day", False),
    # ------------------------------------------------------------------ Puppet
    # hn2013
    ("puppet", "Systems Management: AWS, Docker, Docker Compose (Fig), Vagrant, Puppet", True),
    # hn2013
    ("puppet", "Operations Engineers: LaterPay deploys servers using Puppet", True),
    # hn2013
    ("puppet", "AWS, Ubuntu, Sharded MySQL, Java, RabbitMQ, Ansible, Puppet, Nagios, Cacti, Graphite", True),
    # written: the toy
    ("puppet", "Our kids' events include a Puppet show every Friday", False),
    # written: politics
    ("puppet", "The article described a Puppet regime in the region", False),
    # written: a sock puppet
    ("puppet", "Moderators remove any sock Puppet accounts quickly", False),
    # ------------------------------------------------------------------ Shell
    # glassdoor_ds_uncleaned
    ("shell-scripting", "programs using 1 or more of the following: C++, Java, Shell, Perl, Python", True),
    # hn2013
    ("shell-scripting", "• Automation using Shell scripting, Python, SaltStack", True),
    # hn2013
    ("shell-scripting", "- Linux/Unix (you know your way around a shell)", True),
    # hn2013
    ("shell-scripting", "with some very large companies, including Shell Oil Company", False),
    # hn2013
    ("shell-scripting", "by organisations including Shell, Unilever, Greyhound and AkzoNobel to help keep their drivers safe", False),
    # written: the noun
    ("shell-scripting", "Our lab studies the shell of marine snails", False),
    # ------------------------------------------------------------------ Make
    # hn2013
    ("make", "* Systems Engineer (Linux, Kubernetes, Go, Make)", True),
    # hn2013
    ("make", "Small team, Linux/Make/GCC/Git stack, lots of variety in projects", True),
    # hn2013
    ("make", "* Develop and maintain GNU Make based build systems", True),
    # linkedin_israel_swe_2024
    ("make", "Why You’ll Make a Difference:", False),
    # hn2026
    ('make', 'Make the subject "Founding Engineer Application (I am not a bot)".', False),
    # linkedin_data_analyst
    ("make", "Make use of the data and drive patient activation and clinical outcomes.", False),
    # hn2013: "make sure" in a sentence full of tools
    ("make", "Make sure to include your GitHub, Docker and Linux experience.", False),
    # ------------------------------------------------------------------ React
    # hn2013
    ("react", "Some of the technologies we use: Python/Django, JavaScript, React, Postgres, Redis, AWS", True),
    # hn2013
    ("react", "- Frontend Engineer (Javascript, React)", True),
    # hn2013
    ("react", "On the front-end we're transitioning to React, although some older code is still in Backbone", True),
    # hn2013: React Native is its own term
    ("react", "Our stack: React Native, Node, Postgres, AWS", False),
    # written: the verb, capitalised at a sentence start
    ("react", "React quickly to production incidents and customer escalations.", False),
    # written: the verb
    ("react", "You will react to market changes and help the team prioritise", False),
    # ------------------------------------------------------------------ Java vs JavaScript
    # hn2013
    ("java", "We use a lot of Python, and some C and Java", True),
    # linkedin_israel_swe_2024
    ("java", "At least 5 years of experience working as a Java Developer 11+", True),
    # hn2013
    ("java", "influence on both the JavaScript application and Java processing layer", True),
    # dice_us_sample_658
    ("java", "feel comfortable with either VBScript/Java Script /PowerShell)", False),
    # hn2013 (shortened)
    ("java", "Frontend: JavaScript, jQuery, CoffeeScript", False),
    # written
    ("java", "Experience with Javascript frameworks (React, Vue) required", False),
    # ------------------------------------------------------------------ Dart
    # linkedin_israel_swe_2024
    ("dart", "developing mobile applications using Swift for iOS and Dart with Flutter", True),
    # hn2026
    ("dart", "Tech: GCP, Cloudflare, Dart, Postgres, a little React & Node", True),
    # hn2026
    ("dart", "Previous Dart experience is not required", True),
    # written: the game
    ("dart", "Friday socials with a Dart board and table tennis", False),
    # written: the transit system
    ("dart", "Easy commute via Dart rail to our downtown Dallas office", False),
    # written
    ("dart", "Every Dart game night ends with pizza", False),
    # ------------------------------------------------------------------ Elixir (context-free: no false use in the data)
    # hn2013
    ("elixir", "have lately been working to introduce Elixir to our stack", True),
    # hn2013
    ("elixir", "Knowledge of Elixir and Elm", True),
    # hn2013
    ("elixir", "Phoenix (Elixir), GoLang, Docker", True),
    # written: no negative in 33,890 postings; these show the word is only matched whole
    ("elixir", "Our elixirs and tonics are made in house", False),
    # written
    ("elixir", "We use Elixirium for inventory", False),
    # written
    ("elixir", "Talks from ElixirConf are on our blog", False),
    # ------------------------------------------------------------------ Crystal
    # hn2013
    ("crystal", "we like using Ruby, Python and Java – looking at Crystal for a prototype application", True),
    # written (hn2026 lists it slash-joined with other languages)
    ("crystal", "We write services in Crystal, Ruby and Go", True),
    # written
    ("crystal", "Experience with the Crystal programming language", True),
    # indeed_cal_ds_500: Crystal Reports is a BI tool, not the language
    ("crystal", "SHC tools (i.e., SSIS, Crystal Reports, WebI, Qlikview, Tableau etc.)", False),
    # linkedin_data_scientist
    ("crystal", "Crystal Dynamics is an EOE and M/F/D/V employer.", False),
    # glassdoor_ds_kenjee_2020
    ("crystal", "our Washington DC (Centerville or Crystal City) offices", False),
    # ------------------------------------------------------------------ Pig
    # hn2013
    ("pig", "2 years developing production Hadoop code (MR, Hive, Pig -- HBase is a plus)", True),
    # linkedin_data_scientist
    ("pig", "using MapReduce, Pig, and/or Hive preferred", True),
    # glassdoor_ds_uncleaned
    ("pig", "Experience with Big Data Technologies (Hadoop, Hive, Hbase, Pig, Spark, etc.)", True),
    # hn2013
    ("pig", "We sometimes have a competition to throw a plastic pig in a bin from some distance", False),
    # hn2013
    ("pig", "our homegrown encryption scheme is no more unintelligible than Pig Latin.", False),
    # written
    ("pig", "The team lunch was a pig roast at the farm", False),
    # ------------------------------------------------------------------ Hive
    # hn2013
    ("hive", "expertise in Hadoop, Hive, and other Mapreduce tools required", True),
    # indeed_cal_ds_500
    ("hive", "large data sets with big data tools such as Hive or Spark", True),
    # glassdoor_ds_kenjee_2020
    ("hive", "Map/Reduce, Hadoop, Hive, Spark, Gurobi, MySQL, etc", True),
    # glassdoor_ds_uncleaned
    ("hive", "Hive is a full-stack deep learning platform helping to bring companies into the AI era", False),
    # hn2013
    ("hive", "Senior Software Engineer, Hive", False),
    # written
    ("hive", "The office is a hive of activity every Monday", False),
    # ------------------------------------------------------------------ Flask
    # hn2013
    ("flask", "Our stack is primarily Python & JavaScript, with frameworks like Django/Flask and react.js/d3", True),
    # hn2013
    ("flask", "- Lead Backend Engineer (Python/Flask)", True),
    # hn2013
    ("flask", "experience working on large React Native/Flask projects in previous positions", True),
    # glassdoor_ds_kenjee_2020
    ("flask", "Conduct protein expression from various shake flask scales to scale up with bioreactor systems", False),
    # written: lab work
    ("flask", "Prepare media in an Erlenmeyer flask and record the results", False),
    # written: lab work
    ("flask", "Transfer the culture to a T-75 flask after 48 hours", False),
    # ------------------------------------------------------------------ Bash
    # linkedin_israel_swe_2024
    ("bash", "Developing scripts (Bash, Python) for simplifying the integration & build process", True),
    # hn2013
    ("bash", "Unix and OS X command line (bash/zsh), and general", True),
    # hn2013
    ("bash", "strong Linux background, bash scripting, automation, configuration management", True),
    # hn2013
    ("bash", "A lot of people bash adtech but if you're interested in diving deep into high performance tech", False),
    # written: a party
    ("bash", "Join us for the annual summer bash in the park", False),
    # written: a party
    ("bash", "The holiday bash is on December 15", False),
    # ------------------------------------------------------------------ Ember
    # hn2013
    ("ember", "* Experience with JavaScript Frameworks (E.g., Angular, Ember, Backbone, jQuery)", True),
    # hn2013
    ("ember", "The core Intercom product is a Ruby on Rails application with an Ember.js frontend", True),
    # hn2013
    ("ember", "You want to build single page applications with Ember", True),
    # written
    ("ember", "Keep the Ember of curiosity alive", False),
    # written
    ("ember", "Ember Grove Apartments, Austin, TX", False),
    # written
    ("ember", "Our founder, Ember, leads the design team", False),
    # ------------------------------------------------------------------ Meteor
    # hn2013
    ("meteor", "a tech stack that includes the latest in tech: Kafka, Google BigQuery, Meteor.js and Docker", True),
    # hn2013
    ("meteor", "Our stack is primarily in Node.js and Meteor running on AWS", True),
    # hn2013
    ("meteor", "Tech: We're built in Meteor / Semantic UI", True),
    # written
    ("meteor", "Watch the Meteor shower from our rooftop terrace", False),
    # written
    ("meteor", "Our growth has been Meteoric this year", False),
    # written
    ("meteor", "Meteor Crater is a short drive from the Flagstaff office", False),
    # ------------------------------------------------------------------ Express
    # hn2013
    ("express", "Familiarity with Node.js back-end frameworks (Express, Koa, etc)", True),
    # hn2013
    ("express", "MEAN Stack (Mongodb/Postgres, Express, AngularJS, NodeJS)", True),
    # hn2013
    ("express", "Our client facing API services are built on Express.js", True),
    # hn2013
    ("express", "work for a variety of brands including Honda, Subaru, Isuzu, Lotus and National Express", False),
    # hn2013
    ("express", "Express your interest at careers at servmask dot com", False),
    # hn2013
    ("express", "American Express, Serve @ Tampa bay area (the other bay area)", False),
    # ------------------------------------------------------------------ Spring
    # hn2013
    ("spring", "- Experienced Java developer (Spring/Hibernate a plus)", True),
    # hn2013
    ("spring", "backend - Python & Java: Django, numpy, PSQL, Spring, Memcached, Kafka, tomcat, etc", True),
    # hn2013
    ("spring", "I'm looking for someone with deep Java/Spring experience", True),
    # hn2013
    ("spring", "- 2018 Spring Engineering Intern:", False),
    # glassdoor_ds_uncleaned
    ("spring", "All hiring and recruitment at Spring Health is handled with a valid email address", False),
    # written
    ("spring", "Internships are available for Spring 2019 and Summer 2019 with our Java team", False),
    # ------------------------------------------------------------------ Gatsby (rare in the data)
    # written
    ("gatsby", "Our marketing site is built with Gatsby and React", True),
    # written
    ("gatsby", "Frontend: GatsbyJS, GraphQL, Netlify", True),
    # written
    ("gatsby", "Experience with Gatsby.js or Next.js", True),
    # written
    ("gatsby", "Book club this month: The Great Gatsby", False),
    # written
    ("gatsby", "Gatsby's Bar & Grill is next door to the office", False),
    # written
    ("gatsby", "Meet our CTO, Jay Gatsby Smith", False),
    # ------------------------------------------------------------------ Next.js (only "Next.js" spellings are aliases)
    # hn2026
    ("nextjs", "Stack: TypeScript, Next.js, Postgres, Vercel", True),
    # linkedin_israel_swe_2024
    ("nextjs", "In-depth understanding of server-side JavaScript (NodeJS, Express, NextJS SSR)", True),
    # written
    ("nextjs", "Frontend in React with Next JS", True),
    # linkedin_israel_swe_2024 (shortened)
    ("nextjs", "and take our products to the next level", False),
    # written
    ("nextjs", "Next, you will meet the team. Next steps follow", False),
    # written
    ("nextjs", "Next-generation tooling for data teams", False),
    # ------------------------------------------------------------------ NestJS
    # written
    ("nestjs", "Backend: Node.js with NestJS and PostgreSQL", True),
    # written
    ("nestjs", "Experience with Nest.js or Express", True),
    # written
    ("nestjs", "Our API is written in TypeScript (NestJS)", True),
    # written
    ("nestjs", "Build your nest egg with our 401k match", False),
    # written
    ("nestjs", "We worked on the Google Nest thermostat", False),
    # written
    ("nestjs", "Nest Labs alumni welcome", False),
    # ------------------------------------------------------------------ Ray
    # linkedin_ai_ml_jobs_us
    ("ray", "Experience with Sagemaker, MLflow, Ray, ELT tools, and data cleaning tools is a plus", True),
    # hn2026
    ("ray", "Stack: Python, Ray, S3, FastAPI, React/TypeScript", True),
    # linkedin_ai_ml_jobs_us
    ("ray", "Experience with distributed frameworks like Dask, Ray etc", True),
    # hn2013
    ("ray", "Contact me (Ray Howell) at ray@dividendsolar.com", False),
    # hn2013
    ("ray", "send your resume to Ray Lian at rlian@flagshipventures.com.", False),
    # written
    ("ray", "Experience with X-Ray imaging and Python is a plus", False),
    # ------------------------------------------------------------------ Dask (context-free)
    # glassdoor_ds_uncleaned
    ("dask", "Experience with: Git, matplotlib, seaborn, HTML5, CSS3, JavaScript, D3, Plot.ly, Flask, Dask", True),
    # linkedin_ai_ml_jobs_us
    ("dask", "large distributed systems like Spark, DASK & H20 and heterogenous platform components", True),
    # linkedin_ai_ml_jobs_us
    ("dask", "Experience with distributed frameworks like Dask, Ray etc", True),
    # written: no negative in the data
    ("dask", "Daskalos Consulting is hiring analysts", False),
    # written
    ("dask", "Please ask at the front desk", False),
    # written
    ("dask", "DASKY HOLDINGS LLC", False),
    # ------------------------------------------------------------------ Polars (context-free)
    # hn2026
    ("polars", "SQL (DuckDB/Polars), Iceberg/Redshift", True),
    # hn2026
    ("polars", "Data pipelines: Dagster, Python, polars", True),
    # hn2026
    ("polars", "a plugin SDK you built, or a Polars query that survived 50M rows.", True),
    # written: no negative in the data
    ("polars", "Research on polar ice sheets and climate", False),
    # written
    ("polars", "Polaris Industries is hiring", False),
    # written
    ("polars", "bipolar disorder awareness month", False),
    # ------------------------------------------------------------------ Airflow
    # hn2013
    ("airflow", "We rely on tooling such as Hadoop, Hive, Kafka, Redshift, Airflow, Spark", True),
    # linkedin_ai_ml_jobs_us
    ("airflow", "* ML : mlflow / CICD / Airflow or similar", True),
    # linkedin_ai_ml_jobs_us
    ("airflow", "OSS ML technologies such as Spark, PyTorch, Airflow with hands-on experience in production", True),
    # hn2013
    ("airflow", "Experience with CFD (heat, fluid and airflow modeling), electrical and food safety regulation", False),
    # written: HVAC
    ("airflow", "Measure airflow rates in the clean room and report HVAC issues", False),
    # written
    ("airflow", "Design enclosures with good Airflow management for the servers", False),
]
# fmt: on


@cache
def _matcher() -> Matcher:
    return Matcher.from_taxonomy(load_taxonomy())


def _id(case: Case) -> str:
    term, text, expected = case
    return f"{term}-{'pos' if expected else 'neg'}-{text[:30]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_ambiguous_name(case: Case) -> None:
    term, text, expected = case
    found = {m.term_id for m in _matcher().find(text)}
    assert (term in found) is expected, f"{term!r} in {text!r}: found {sorted(found)}"


def test_every_name_has_three_of_each() -> None:
    """The brief's bar: at least three positive and three negative clauses per ambiguous name."""
    pos: dict[str, int] = {}
    neg: dict[str, int] = {}
    for term, _, expected in CASES:
        (pos if expected else neg)[term] = (pos if expected else neg).get(term, 0) + 1
    short = {t for t in pos.keys() | neg.keys() if pos.get(t, 0) < 3 or neg.get(t, 0) < 3}
    assert not short, f"fewer than 3 positive or 3 negative cases: {sorted(short)}"


def test_ruby_on_rails_names_the_framework() -> None:
    """ "Ruby on Rails" is one alias of rails: the narrower term, as the gold set's readers label it
    (docs/annotation.md); rails lists ruby as its prerequisite for the learning path."""
    found = {m.term_id for m in _matcher().find("We’re looking for a Ruby on Rails developer")}
    assert found == {"rails"}


def test_r_never_in_r_and_d() -> None:
    for text in ("R&D", "our R&D team", "R & D center", "R&amp;D budget", "R and D lab", "(R&D)"):
        assert "r" not in {m.term_id for m in _matcher().find(text)}, text
